namespace AudioPrune.Reports;

/// <summary>
/// Equal bins over the values' range from <see cref="Low"/>, each <see cref="Width"/> wide: the chart draws each as one
/// bar exactly its bin wide at its centre, so that bars neither overlap nor leave gaps between neighbouring bins.
/// </summary>
internal sealed record HistogramBins(double Low, double Width, IReadOnlyList<int> Counts)
{
    public double Centre(int bin) => Low + (bin + 0.5) * Width;

    /// <summary>The values in <paramref name="bins"/> bins, the largest in the last; equal values in one bin centred on them.</summary>
    public static HistogramBins Of(IReadOnlyList<double> values, int bins)
    {
        if (values.Count == 0 || bins < 1) throw new ArgumentException("a histogram needs values and at least one bin");
        var low = values.Min();
        var range = values.Max() - low;
        if (range <= 0)
        {
            var width = Math.Max(Math.Abs(low), 1) / 10;
            return new HistogramBins(low - width / 2, width, [values.Count]);
        }
        var counts = new int[bins];
        foreach (var v in values) counts[Math.Min((int)((v - low) / range * bins), bins - 1)]++;
        return new HistogramBins(low, range / bins, counts);
    }
}
