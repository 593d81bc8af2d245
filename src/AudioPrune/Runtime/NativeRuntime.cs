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

    private static string? GnuLibcVersion() => Marshal.PtrToStringAnsi(gnu_get_libc_version());

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int parameter, int value);

    [DllImport("libc", EntryPoint = "gnu_get_libc_version")]
    private static extern IntPtr gnu_get_libc_version();
}
