namespace AudioPrune.Reports;

/// <summary>Human-readable counts and sizes: 286.6 M, 20.04 G, 180.6 KiB.</summary>
internal static class Units
{
    public static string Count(long value) => value switch
    {
        >= 1_000_000_000 => $"{value / 1e9:0.00} G",
        >= 1_000_000 => $"{value / 1e6:0.0} M",
        >= 10_000 => $"{value / 1e3:0.0} k",
        _ => value.ToString("N0"),
    };

    public static string Bytes(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):0.00} GiB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):0.0} MiB",
        >= 1L << 10 => $"{bytes / 1024.0:0.0} KiB",
        _ => $"{bytes} B",
    };
}
