using System.Runtime.InteropServices;

namespace AudioPrune.Runtime;

/// <summary>
/// Process-wide native settings, applied once from one entry, <see cref="EnsureInitialized"/>, which the first
/// model load calls (docs/platform.md): glibc's malloc thresholds are raised so that the tens of megabytes libtorch
/// allocates and frees per training step stay in the heap instead of costing fresh, first-touch pages each time.
/// </summary>
internal static class NativeRuntime
{
    private const int MallocTrimThreshold = -1;   // M_TRIM_THRESHOLD
    private const int MallocMmapThreshold = -3;   // M_MMAP_THRESHOLD
    private const int OneGibibyte = 1 << 30;

    /// <summary>True when glibc accepted both thresholds (false on non-glibc systems, where nothing is needed).</summary>
    public static bool AllocatorTuned { get; private set; }

    /// <summary>True on Linux with glibc, where the tuning is needed.</summary>
    public static bool IsGlibc { get; private set; }

    private static readonly Lock Gate = new();
    private static bool initialized;

    /// <summary>Applies the process-wide settings once; later calls return at once. Safe from any thread.</summary>
    public static void EnsureInitialized()
    {
        lock (Gate)
        {
            if (initialized) return;
            TuneAllocator();
            initialized = true;
        }
    }

    /// <summary>The variable oneDNN (libtorch's CPU convolution library) reads its instruction-set cap from.</summary>
    public const string OneDnnIsaVariable = "ONEDNN_MAX_CPU_ISA";

    private static void TuneAllocator()
    {
        if (!OperatingSystem.IsLinux()) return;
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
    /// ("Unsupported hardware", docs/platform.md item 4) it logs a warning on every such call and falls back to its
    /// own kernel, so NNPACK never ran there; the library's tests and benchmarks run without it. TorchSharp has no
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
