using AudioPrune.Pruning.Numerics;

namespace AudioPrune.Pruning.Criteria;

/// <summary>
/// The paper's criterion: cosine distances between filter prototypes, exact. The score of a filter is its
/// distance to its nearest neighbour (a filter with a close twin is redundant); the greedy pass picks the kept set.
/// </summary>
internal sealed class SimilarityImportance(Representation representation = Representation.Rank1) : IDistanceCriterion
{
    public string Name => "similarity";

    public Representation Representation => representation;


    public LayerImportance Score(FilterBank filters)
    {
        var prototypes = Prototypes.Of(filters, representation);
        var analysis = CosineDistances.Analyse(CosineDistances.Exact(prototypes), prototypes, nystrom: null);
        return new LayerImportance(filters.Layer, analysis.NearestDistance, analysis);
    }

    public LayerDistances Distances(FilterBank filters)
    {
        var prototypes = Prototypes.Of(filters, representation);
        return LayerDistances.Of(CosineDistances.Exact(prototypes), prototypes);
    }

    public LayerDistances AddDistances(FilterBank filters, double[] mean, double divisor, bool accumulate)
    {
        var prototypes = Prototypes.Of(filters, representation);
        CosineDistances.AddExact(prototypes, mean, divisor, accumulate);
        return LayerDistances.Of(mean, prototypes);
    }
}
