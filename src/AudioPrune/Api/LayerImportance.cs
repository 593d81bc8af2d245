using AudioPrune.Pruning;
using AudioPrune.Pruning.Numerics;

namespace AudioPrune;

/// <summary>
/// A criterion's verdict on one conv layer: a score per filter (lower = pruned first) and, for the similarity
/// criteria, the distance analysis whose greedy pass decides the kept set.
/// </summary>
public sealed class LayerImportance
{
    /// <summary>Scores for the filters of <paramref name="layer"/>, in filter order (lower = pruned first).</summary>
    public LayerImportance(string layer, double[] scores) : this(layer, scores, null)
    {
    }

    internal LayerImportance(string layer, double[] scores, SimilarityAnalysis? similarity)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(scores);
        Layer = layer;
        Scores = scores;
        Similarity = similarity;
    }

    public string Layer { get; }

    /// <summary>The same verdict under another name (a group of one member).</summary>
    internal LayerImportance WithLayer(string layer) => new(layer, Scores, Similarity);

    public double[] Scores { get; }

    /// <summary>The similarity criteria's distances, from which their greedy pass selects; null for score criteria.</summary>
    internal SimilarityAnalysis? Similarity { get; }

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
