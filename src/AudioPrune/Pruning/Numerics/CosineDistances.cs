using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AudioPrune.Pruning.Numerics;

/// <summary>Cosine distance matrices D = 1 - S from a similarity matrix S of unit prototypes.</summary>
internal static class CosineDistances
{
    /// <summary>
    /// Exact D[i,j] = 1 - &lt;p_i, p_j&gt;: one matrix product of the prototypes. Explicit (rank-1) rows turn each
    /// tile of S into distances as it is computed, saving a pass over the n x n matrix.
    /// </summary>
    public static double[] Exact(PrototypeSet prototypes) => prototypes.ExplicitRows is { } rows
        ? DenseProducts.Gram(rows, prototypes.Count, prototypes.Dimension, asDistances: true)
        : FromSimilarity(prototypes.Similarity());

    /// <summary>
    /// target = (accumulate ? target : 0) + Exact(prototypes) / divisor; explicit rows add each row tile of the
    /// distances as it is computed, so the matrix of distances is never formed.
    /// </summary>
    public static void AddExact(PrototypeSet prototypes, double[] target, double divisor, bool accumulate)
    {
        if (prototypes.ExplicitRows is { } rows) DenseProducts.AddGramDistanceQuotient(rows, prototypes.Count, prototypes.Dimension, target, divisor, accumulate);
        else DenseProducts.AddQuotient(target, Exact(prototypes), divisor, accumulate);
    }

    /// <summary>Turns S into D = 1 - S in place; exact distances are clamped to [0, 2] against rounding.</summary>
    public static double[] FromSimilarity(double[] s, bool clamp = true)
    {
        ToDistances(s, clamp);
        return s;
    }

    /// <summary>
    /// <see cref="FromSimilarity"/> on a part of S. Entry by entry the same operations whatever the part, so turning
    /// S by tiles or at once gives the same matrix.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ToDistances(Span<double> s, bool clamp)
    {
        var i = 0;
        // The same operations as the scalar tail lane by lane: 1 - s, then (when clamping) below 0 -> 0, above 2 -> 2.
        var one = Vector256.Create(1.0);
        var low = Vector256<double>.Zero;
        var high = Vector256.Create(2.0);
        for (; i + 4 <= s.Length; i += 4)
        {
            var d = one - Vector256.Create(s.Slice(i, 4));
            if (clamp)
            {
                d = Vector256.ConditionalSelect(Vector256.LessThan(d, low), low, d);
                d = Vector256.ConditionalSelect(Vector256.GreaterThan(d, high), high, d);
            }
            d.CopyTo(s.Slice(i, 4));
        }
        for (; i < s.Length; i++)
        {
            var d = 1 - s[i];
            s[i] = clamp ? Math.Clamp(d, 0, 2) : d;
        }
    }

    /// <summary>Builds the similarity criteria's analysis of a layer from its distance matrix.</summary>
    public static SimilarityAnalysis Analyse(double[] distances, PrototypeSet prototypes, NystromInfo? nystrom)
    {
        var n = prototypes.Count;
        var (neighbour, distance) = GreedySimilarity.NearestNeighbours(distances, n, Enumerable.Range(0, n).ToArray());
        return new SimilarityAnalysis(distances, neighbour, distance, prototypes.DegenerateFilters, prototypes.ZeroFilters, nystrom);
    }
}
