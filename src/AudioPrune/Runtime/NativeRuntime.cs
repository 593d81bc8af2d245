using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AudioPrune.Runtime;

/// <summary>
/// Process-wide native settings that must be in place before the first tensor is allocated.
/// glibc's malloc serves every block over its mmap threshold with a fresh mmap and returns it with munmap;
/// libtorch allocates and frees tens of megabytes per training step, and first-touch page faults on fresh
/// mappings made training 5-10x slower on the project's machines. Raising the mmap and trim thresholds
/// keeps those blocks in the heap for reuse. Applied by a module initializer, so every process that loads
/// this library (the program, the tests, the benchmarks) gets it without setting anything.
/// </summary>
public static class NativeRuntime
{
    private const int MallocTrimThreshold = -1;   // M_TRIM_THRESHOLD
    private const int MallocMmapThreshold = -3;   // M_MMAP_THRESHOLD
    private const int OneGibibyte = 1 << 30;

    /// <summary>True when glibc accepted both thresholds (false on non-glibc systems, where nothing is needed).</summary>
    public static bool AllocatorTuned { get; private set; }

    /// <summary>True on Linux with glibc, where the tuning is needed.</summary>
    public static bool IsGlibc { get; private set; }

#pragma warning disable CA2255 // A library module initializer is deliberate: it must run before any tensor exists.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Initialize()
    {
        TuneAllocator();
    }

    /// <summary>The variable oneDNN (libtorch's CPU convolution library) reads its instruction-set cap from.</summary>
    public const string OneDnnIsaVariable = "ONEDNN_MAX_CPU_ISA";

    /// <summary>
    /// The channel block to which convolutions pad the channels their oneDNN kernels sum over (see
    /// <see cref="Graph.Torch.BlockAlignedConvolution"/>): 16 on CPUs with AVX-512, 0 (no padding) elsewhere. On the
    /// project's AMD EPYC machines with AVX-512, libtorch 2.10's oneDNN returned wrong or NaN convolution results
    /// for a partial block of those channels, under its AVX-512 kernels and under an AVX2 or AVX cap; capping it at
    /// SSE4.1 was exact but 4.4-5.8x slower. On the EPYC machines without AVX-512 the AVX2 kernels were exact
    /// (0 of 2,592 gradient checks off), so nothing is padded there. The convolution-gradient tests check whichever
    /// kernels and padding run.
    /// </summary>
    public static int OneDnnChannelBlock { get; } = CpuHasAvx512() ? 16 : 0;

    /// <summary>
    /// AVX-512 Foundation as the processor reports it (CPUID leaf 7, EBX bit 16), the way oneDNN decides: .NET's own
    /// Avx512F.IsSupported also reflects runtime settings that oneDNN ignores.
    /// </summary>
    public static bool CpuHasAvx512() =>
        System.Runtime.Intrinsics.X86.X86Base.IsSupported
        && (System.Runtime.Intrinsics.X86.X86Base.CpuId(7, 0).Ebx & (1 << 16)) != 0;

    public static void TuneAllocator()
    {
        if (AllocatorTuned || !OperatingSystem.IsLinux()) return;
        try
        {
            IsGlibc = GnuLibcVersion() is not null;
            if (!IsGlibc) return;
            AllocatorTuned = mallopt(MallocMmapThreshold, OneGibibyte) == 1
                          && mallopt(MallocTrimThreshold, int.MaxValue) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            IsGlibc = false;
        }
    }

    /// <summary>
    /// Turns off libtorch's NNPACK convolutions; call once libtorch is loaded. libtorch tries NNPACK for small
    /// convolutions it does not give oneDNN (VGGish_Net's last layers at batch 1), and where NNPACK cannot start
    /// (the project's EPYC machines: "Unsupported hardware") it logs a warning on every such call and falls back to
    /// its own kernel, so NNPACK never ran here; the library's tests and benchmarks run without it. TorchSharp has no
    /// switch for it, so this calls libtorch's own setter; where its symbols are missing nothing changes but the
    /// warnings.
    /// </summary>
    public static void DisableNnpack() => WithLibTorchContext(context => at_Context_setUserEnabledNNPACK(context, false));

    /// <summary>Whether libtorch may use NNPACK (null where its setting cannot be read).</summary>
    public static bool? NnpackEnabled()
    {
        bool? enabled = null;
        WithLibTorchContext(context => enabled = at_Context_userEnabledNNPACK(context));
        return enabled;
    }

    private static void WithLibTorchContext(Action<IntPtr> action)
    {
        try
        {
            var context = at_globalContext();
            if (context != IntPtr.Zero) action(context);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Another libtorch build: leave its settings alone.
        }
    }

    // at::globalContext() and at::Context's NNPACK accessors (Itanium C++ names; member functions take `this` first).
    [DllImport("libtorch_cpu", EntryPoint = "_ZN2at13globalContextEv")]
    private static extern IntPtr at_globalContext();

    [DllImport("libtorch_cpu", EntryPoint = "_ZN2at7Context20setUserEnabledNNPACKEb")]
    private static extern void at_Context_setUserEnabledNNPACK(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [DllImport("libtorch_cpu", EntryPoint = "_ZNK2at7Context17userEnabledNNPACKEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    private static extern bool at_Context_userEnabledNNPACK(IntPtr context);

    private static string? GnuLibcVersion() => Marshal.PtrToStringAnsi(gnu_get_libc_version());

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int parameter, int value);

    [DllImport("libc", EntryPoint = "gnu_get_libc_version")]
    private static extern IntPtr gnu_get_libc_version();
}
