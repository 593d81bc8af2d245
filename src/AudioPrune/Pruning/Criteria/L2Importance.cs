namespace AudioPrune.Pruning.Criteria;

/// <summary>l2: the Euclidean norm of W[f].</summary>
internal sealed class L2Importance : IFilterImportance
{
    public string Name => "l2";

    public LayerImportance Score(FilterBank filters)
    {
        var scores = new double[filters.Filters];
        for (var f = 0; f < filters.Filters; f++)
        {
            double sum = 0;
            foreach (double w in filters.Filter(f)) sum += w * w;
            scores[f] = Math.Sqrt(sum);
        }
        return new LayerImportance(filters.Layer, scores);
    }
}
