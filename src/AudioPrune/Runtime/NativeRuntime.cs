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

    /// <summary>The instruction-set cap handed to oneDNN (libtorch's CPU convolution library).</summary>
    public const string OneDnnIsaVariable = "ONEDNN_MAX_CPU_ISA";

    /// <summary>The cap: the widest instruction set whose convolution gradients stayed exact on the project's machines.</summary>
    public const string OneDnnIsaCap = "SSE41";

    /// <summary>
    /// oneDNN's AVX-512 and AVX2 convolution kernels returned wrong (and sometimes NaN) input gradients on the
    /// project's machines (AMD EPYC reporting AVX-512 with bf16): compared with a float64 reference, 110 (AVX2)
    /// and 149 (AVX-512) of 560 gradient checks over 3x3 and 7x7 convolutions with 1 to 32 channels were off,
    /// worst with channel counts that are not multiples of 8 (which pruning produces) and on two threads.
    /// Capped at AVX those checks passed, but fine-tuning the pruned DCASE21_Net (11/13/26 filters, two threads)
    /// still turned NaN within two epochs, in three runs out of three; capped at SSE4.1 it trained normally.
    /// The cap costs speed (see BENCHMARKS.md) but wrong gradients are not an option. oneDNN reads the cap from
    /// the native environment at its first use, so it is set with libc's setenv (.NET's Environment does not reach
    /// native getenv). A value the user already set wins.
    /// </summary>
    public static void LimitOneDnnIsa()
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            setenv(OneDnnIsaVariable, OneDnnIsaCap, 0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc/musl: nothing to set.
        }
    }

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

    [DllImport("libc", EntryPoint = "gnu_get_libc_version")]
    private static extern IntPtr gnu_get_libc_version();
}
