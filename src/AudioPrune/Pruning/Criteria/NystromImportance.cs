using AudioPrune.Pruning.Numerics;

namespace AudioPrune.Pruning.Criteria;

/// <summary>
/// The similarity criterion on the Nystrom approximation of the similarity matrix (ICASSP 2023).
/// <paramref name="landmarks"/> null means "auto": min(n, d), the smallest count that is exact for prototypes of
/// dimension d when the landmark prototypes are independent.
/// </summary>
internal sealed class NystromImportance(
    Representation representation = Representation.Rank1, int? landmarks = null,
    LandmarkChoice choice = LandmarkChoice.First, int? rank = null, int seed = 0, bool computeError = false) : IDistanceCriterion
{
    public string Name => "nystrom";


    public LayerImportance Score(FilterBank filters)
    {
        var (distances, prototypes, info) = Approximate(filters);
        var analysis = CosineDistances.Analyse(distances, prototypes, info);
        return new LayerImportance(filters.Layer, analysis.NearestDistance, analysis);
    }

    public LayerDistances Distances(FilterBank filters)
    {
        var (distances, prototypes, _) = Approximate(filters);
        return LayerDistances.Of(distances, prototypes);
    }

    private (double[] Distances, PrototypeSet Prototypes, NystromInfo Info) Approximate(FilterBank filters)
    {
        var prototypes = Prototypes.Of(filters, representation);
        var m = Math.Min(landmarks ?? prototypes.Dimension, prototypes.Count);
        var (similarity, chosen, k) = NystromApproximation.Similarity(prototypes, m, choice, rank, filters.SeedFor(seed));
        double? error = null;
        if (computeError)
        {
            var exact = prototypes.Similarity();
            error = NystromApproximation.SpectralError(exact, similarity, prototypes.Count);
        }
        // Not clamped: the approximation's own values are what the method ranks.
        var distances = CosineDistances.FromSimilarity(similarity, clamp: false);
        return (distances, prototypes, new NystromInfo(chosen.Length, k, chosen, choice.ToString().ToLowerInvariant(), error));
    }
}
