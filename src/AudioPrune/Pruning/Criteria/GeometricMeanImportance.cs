namespace AudioPrune.Pruning.Criteria;

/// <summary>
/// The authors' "GM" baseline (a geometric MEAN, not FPGM): score_f = (g(|W|) - g(|W[f]|))^2 with
/// g(x) = exp(mean(log(x + eps))). Filters whose typical magnitude is closest to the layer's are pruned first.
/// </summary>
internal sealed class GeometricMeanImportance : IFilterImportance
{
    /// <summary>Keeps log finite for exact zeros.</summary>
    public const double Epsilon = 1e-12;

    public string Name => "gm";

    public LayerImportance Score(FilterBank filters)
    {
        var layer = GeometricMean(filters.Weights);
        var scores = new double[filters.Filters];
        for (var f = 0; f < filters.Filters; f++)
        {
            var difference = layer - GeometricMean(filters.Filter(f));
            scores[f] = difference * difference;
        }
        return new LayerImportance(filters.Layer, scores);
    }

    public static double GeometricMean(ReadOnlySpan<float> values)
    {
        double sum = 0;
        foreach (var v in values) sum += Math.Log(Math.Abs(v) + Epsilon);
        return Math.Exp(sum / values.Length);
    }
}
