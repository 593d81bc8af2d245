namespace AudioPrune.Pruning.Criteria;

/// <summary>Random scores, seeded per layer: the baseline every criterion should beat.</summary>
internal sealed class RandomImportance(int seed) : IFilterImportance
{
    public string Name => "random";

    public LayerImportance Score(FilterBank filters)
    {
        var random = new Random(filters.SeedFor(seed));
        var scores = new double[filters.Filters];
        for (var f = 0; f < scores.Length; f++) scores[f] = random.NextDouble();
        return new LayerImportance(filters.Layer, scores);
    }
}
