namespace AudioPrune.Pruning.Numerics;

/// <summary>Cosine distance matrices D = 1 - S from a similarity matrix S of unit prototypes.</summary>
public static class CosineDistances
{
    /// <summary>Exact D[i,j] = 1 - &lt;p_i, p_j&gt;: one matrix product of the prototypes.</summary>
    public static double[] Exact(PrototypeSet prototypes)
    {
        var s = prototypes.Similarity();
        return FromSimilarity(s);
    }

    /// <summary>Turns S into D = 1 - S in place; exact distances are clamped to [0, 2] against rounding.</summary>
    public static double[] FromSimilarity(double[] s, bool clamp = true)
    {
        for (var i = 0; i < s.Length; i++)
        {
            var d = 1 - s[i];
            s[i] = clamp ? Math.Clamp(d, 0, 2) : d;
        }
        return s;
    }

    /// <summary>Builds the similarity criteria's analysis of a layer from its distance matrix.</summary>
    public static SimilarityAnalysis Analyse(double[] distances, PrototypeSet prototypes, NystromInfo? nystrom)
    {
        var n = prototypes.Count;
        var (neighbour, distance) = GreedySimilarity.NearestNeighbours(distances, n, Enumerable.Range(0, n).ToArray());
        return new SimilarityAnalysis(distances, neighbour, distance, prototypes.DegenerateFilters, prototypes.ZeroFilters, nystrom);
    }
}
