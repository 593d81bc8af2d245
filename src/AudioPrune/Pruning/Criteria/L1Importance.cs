namespace AudioPrune.Pruning.Criteria;

/// <summary>l1: sum |W[f]| (Li et al.); small filters contribute little.</summary>
internal sealed class L1Importance : IFilterImportance
{
    public string Name => "l1";

    public LayerImportance Score(FilterBank filters)
    {
        var scores = new double[filters.Filters];
        for (var f = 0; f < filters.Filters; f++)
        {
            double sum = 0;
            foreach (var w in filters.Filter(f)) sum += Math.Abs(w);
            scores[f] = sum;
        }
        return new LayerImportance(filters.Layer, scores);
    }
}
