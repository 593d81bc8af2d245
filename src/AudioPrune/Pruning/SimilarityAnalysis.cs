using AudioPrune.Pruning.Numerics;

namespace AudioPrune.Pruning;

/// <summary>What the Nystrom approximation used and, when asked for, how far it is from the exact matrix.</summary>
internal sealed record NystromInfo(int Landmarks, int Rank, int[] LandmarkFilters, string Choice, double? SpectralError);

/// <summary>
/// The similarity criteria's analysis of a layer: cosine distances between prototypes (n x n, row-major),
/// each filter's nearest neighbour and distance among all filters (<see cref="GreedySimilarity.NearestNeighbours"/>
/// of the distances; the first greedy pass reuses them), and notes on degenerate prototypes.
/// </summary>
internal sealed record SimilarityAnalysis(
    double[] Distances, int[] NearestNeighbour, double[] NearestDistance,
    int[] DegenerateFilters, int[] ZeroFilters, NystromInfo? Nystrom);
