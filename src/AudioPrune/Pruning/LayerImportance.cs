using AudioPrune.Pruning.Numerics;

namespace AudioPrune.Pruning;

/// <summary>What the Nystrom approximation used and, when asked for, how far it is from the exact matrix.</summary>
public sealed record NystromInfo(int Landmarks, int Rank, int[] LandmarkFilters, string Choice, double? SpectralError);

/// <summary>
/// The similarity criteria's analysis of a layer: cosine distances between prototypes (n x n, row-major),
/// each filter's nearest neighbour and distance among all filters (<see cref="GreedySimilarity.NearestNeighbours"/>
/// of the distances; the first greedy pass reuses them), and notes on degenerate prototypes.
/// </summary>
public sealed record SimilarityAnalysis(
    double[] Distances, int[] NearestNeighbour, double[] NearestDistance,
    int[] DegenerateFilters, int[] ZeroFilters, NystromInfo? Nystrom);

/// <summary>
/// A criterion's verdict on one conv layer: a score per filter (lower = pruned first) and, for the similarity
/// criteria, the distance analysis whose greedy pass decides the kept set.
/// </summary>
public sealed record LayerImportance(string Layer, double[] Scores, SimilarityAnalysis? Similarity = null)
{
    public int Filters => Scores.Length;

    /// <summary>True when the criterion has a count of its own (the greedy pass), so no ratio is needed.</summary>
    public bool HasOwnCount => Similarity is not null;

    /// <summary>
    /// Kept filters (ascending) for <paramref name="keep"/> filters, or the criterion's own count when null.
    /// Score criteria keep the highest scores; among equal scores the lower index is kept.
    /// </summary>
    public int[] Kept(int? keep)
    {
        if (Similarity is { } s) return GreedySimilarity.Kept(s.Distances, Filters, keep, (s.NearestNeighbour, s.NearestDistance));
        if (keep is null) throw new InvalidOperationException($"layer '{Layer}': a score criterion needs a kept count");
        return Enumerable.Range(0, Filters)
            .OrderByDescending(f => Scores[f]).ThenBy(f => f)
            .Take(Math.Clamp(keep.Value, 1, Filters))
            .Order().ToArray();
    }
}
