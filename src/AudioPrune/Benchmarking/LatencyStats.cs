namespace AudioPrune.Benchmarking;

/// <summary>Wall-clock times of repeated runs, in milliseconds: the median and the spread around it.</summary>
internal sealed record LatencyStats(int Runs, double MedianMs, double P10Ms, double P90Ms, double MinMs, double MeanMs)
{
    public static LatencyStats From(IReadOnlyList<double> milliseconds)
    {
        if (milliseconds.Count == 0) throw new ArgumentException("no timed runs");
        var sorted = milliseconds.Order().ToArray();
        return new LatencyStats(sorted.Length, Percentile(sorted, 0.5), Percentile(sorted, 0.1), Percentile(sorted, 0.9),
            sorted[0], sorted.Average());
    }

    /// <summary>Linear interpolation between the closest ranks.</summary>
    private static double Percentile(double[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var low = (int)Math.Floor(position);
        var high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
    }

    public override string ToString() => $"median {MedianMs:0.000} ms (p10 {P10Ms:0.000}, p90 {P90Ms:0.000}, {Runs} runs)";
}
