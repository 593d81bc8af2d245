using AudioPrune.Pruning.Numerics;

namespace AudioPrune.Pruning.Criteria;

/// <summary>
/// FPGM (He et al., CVPR 2019): score_f = sum_j ||W[f] - W[j]||_2. Filters near the geometric median have the
/// lowest sums and are pruned, as the others can represent them. Distances come from one Gram matrix:
/// ||a - b||^2 = |a|^2 + |b|^2 - 2 a.b.
/// </summary>
internal sealed class FpgmImportance : IFilterImportance
{
    public string Name => "fpgm";

    public LayerImportance Score(FilterBank filters)
    {
        var n = filters.Filters;
        var gram = DenseProducts.GramOfFloats(filters.Weights, n, filters.FilterLength);
        var scores = new double[n];
        for (var i = 0; i < n; i++)
        {
            double sum = 0;
            for (var j = 0; j < n; j++)
            {
                if (j != i) sum += Math.Sqrt(Math.Max(0, gram[i * n + i] + gram[j * n + j] - 2 * gram[i * n + j]));
            }
            scores[i] = sum;
        }
        return new LayerImportance(filters.Layer, scores);
    }
}
