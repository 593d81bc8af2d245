using AudioPrune.Pruning.Numerics;

namespace AudioPrune.Pruning.Criteria;

/// <summary>
/// Operator-norm criterion (TASLP 2025): per input channel c, A_c = W[:, c] as F x (kh*kw) centred over filters,
/// r_c its top right singular vector (sign: filter 0's projection &gt;= 0); score_f = (sum_c &lt;A_c[f], r_c&gt;)^2.
/// r_c is the dominant eigenvector of the small (kh*kw)^2 matrix A_c^T A_c.
/// </summary>
internal sealed class OpNormImportance : IFilterImportance
{
    public string Name => "opnorm";

    public LayerImportance Score(FilterBank filters)
    {
        int n = filters.Filters, taps = filters.Taps;
        var projections = new double[filters.Channels][];
        Parallel.For(0, filters.Channels, new ParallelOptions { MaxDegreeOfParallelism = n * filters.FilterLength > 200_000 ? -1 : 1 }, c =>
        {
            var centred = new double[n * taps];
            var mean = new double[taps];
            for (var f = 0; f < n; f++)
            {
                for (var t = 0; t < taps; t++) mean[t] += filters[f, c, t] / n;
            }
            for (var f = 0; f < n; f++)
            {
                for (var t = 0; t < taps; t++) centred[f * taps + t] = filters[f, c, t] - mean[t];
            }
            var gram = new double[taps * taps];
            for (var a = 0; a < taps; a++)
            {
                for (var b = a; b < taps; b++)
                {
                    double sum = 0;
                    for (var f = 0; f < n; f++) sum += centred[f * taps + a] * centred[f * taps + b];
                    gram[a * taps + b] = sum;
                    gram[b * taps + a] = sum;
                }
            }
            var (_, r) = SymmetricEigen.Dominant(gram, taps);
            var projection = new double[n];
            for (var f = 0; f < n; f++) projection[f] = DenseProducts.Dot(centred.AsSpan(f * taps, taps), r);
            if (projection[0] < 0) for (var f = 0; f < n; f++) projection[f] = -projection[f];
            projections[c] = projection;
        });
        var scores = new double[n];
        for (var f = 0; f < n; f++)
        {
            double sum = 0;
            for (var c = 0; c < filters.Channels; c++) sum += projections[c][f];
            scores[f] = sum * sum;
        }
        return new LayerImportance(filters.Layer, scores);
    }
}
