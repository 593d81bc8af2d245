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
        LimitOneDnnIsa();
        TuneAllocator();
    }

    /// <summary>The variable oneDNN (libtorch's CPU convolution library) reads its instruction-set cap from.</summary>
    public const string OneDnnIsaVariable = "ONEDNN_MAX_CPU_ISA";

    /// <summary>The cap applied on CPUs with AVX-512: the widest instruction set that trained correctly there.</summary>
    public const string Avx512OneDnnIsaCap = "SSE41";

    /// <summary>The cap this process set (null when none was needed, or the user had set one).</summary>
    public static string? OneDnnIsaCap { get; private set; }

    /// <summary>
    /// On the project's AMD EPYC machines that report AVX-512 (with bf16), libtorch 2.10's oneDNN returned wrong,
    /// sometimes NaN, convolution gradients: against a float64 reference 110 (AVX2 cap) and 149 (no cap) of 560
    /// checks over 3x3 and 7x7 convolutions with 1 to 32 channels were off, worst for channel counts that are not
    /// multiples of 8 (which pruning produces); capped at AVX the checks passed but fine-tuning a pruned DCASE21_Net
    /// still turned NaN, and only SSE4.1 trained normally. On the EPYC machines without AVX-512, the uncapped AVX2
    /// kernels were exact (0 of 2,592 checks off, three processes at once on two loaded cores) and four times faster
    /// than SSE4.1, so the cap is applied only where AVX-512 is present. oneDNN reads the variable from the native
    /// environment at its first use, hence libc's setenv (.NET's Environment does not reach native getenv). A value
    /// the user already set wins, and the convolution-gradient tests check whichever kernels end up running.
    /// </summary>
    public static void LimitOneDnnIsa()
    {
        if (!OperatingSystem.IsLinux() || !CpuHasAvx512()) return;
        try
        {
            if (getenv(OneDnnIsaVariable) != IntPtr.Zero) return;
            if (setenv(OneDnnIsaVariable, Avx512OneDnnIsaCap, 0) == 0) OneDnnIsaCap = Avx512OneDnnIsaCap;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc/musl: nothing to set.
        }
    }

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

    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int setenv(string name, string value, int overwrite);

    [DllImport("libc", EntryPoint = "getenv")]
    private static extern IntPtr getenv(string name);

    [DllImport("libc", EntryPoint = "gnu_get_libc_version")]
    private static extern IntPtr gnu_get_libc_version();
}
