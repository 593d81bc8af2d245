namespace AudioPrune.Pruning.Numerics;

/// <summary>
/// Unit prototypes, one per filter, and the filters whose sign needed the fallback rule or that are all zero.
/// Either explicit rows (rank-1: kh*kw doubles each) or the layer's float weights with a scale per filter
/// (flatten: the prototypes of a CNN14 layer would be 300 MB as doubles, and allocating that is slower here
/// than the arithmetic). Both answer the products the similarity criteria need.
/// </summary>
internal sealed class PrototypeSet
{
    private readonly double[]? rows;
    private readonly float[]? weights;
    private readonly double[]? scales;

    private PrototypeSet(double[]? rows, float[]? weights, double[]? scales, int count, int dimension, int[] degenerate, int[] zero)
    {
        this.rows = rows;
        this.weights = weights;
        this.scales = scales;
        Count = count;
        Dimension = dimension;
        DegenerateFilters = degenerate;
        ZeroFilters = zero;
    }

    public static PrototypeSet Explicit(double[] rows, int count, int dimension, int[] degenerate, int[] zero) =>
        new(rows, null, null, count, dimension, degenerate, zero);

    /// <summary>Prototype f = weights row f times scales[f].</summary>
    public static PrototypeSet Scaled(float[] weights, int count, int dimension, double[] scales, int[] zero) =>
        new(null, weights, scales, count, dimension, [], zero);

    public int Count { get; }
    public int Dimension { get; }
    public int[] DegenerateFilters { get; }
    public int[] ZeroFilters { get; }

    /// <summary>All prototypes as explicit rows (n x d doubles); for small layers and tests.</summary>
    public double[] Rows => rows ?? Enumerable.Range(0, Count)
        .SelectMany(f => weights!.AsSpan(f * Dimension, Dimension).ToArray().Select(v => v * scales![f])).ToArray();

    /// <summary>The explicit rows (rank-1 prototypes), or null for scaled weights.</summary>
    internal double[]? ExplicitRows => rows;

    /// <summary>S = P P^T (n x n), exactly symmetric.</summary>
    public double[] Similarity()
    {
        if (rows is not null) return DenseProducts.Gram(rows, Count, Dimension);
        var s = DenseProducts.GramOfFloats(weights!, Count, Dimension);
        for (var i = 0; i < Count; i++)
        {
            for (var j = 0; j < Count; j++) s[i * Count + j] *= scales![i] * scales[j];
        }
        return s;
    }

    /// <summary>&lt;p_i, p_columns[l]&gt; for every filter i (n x m).</summary>
    public double[] SimilarityTo(IReadOnlyList<int> columns)
    {
        var m = columns.Count;
        // Many long float rows (the Nystrom landmarks of a "flatten" layer): the blocked SIMD kernel. Single columns
        // (the farthest-point search asks for one at a time) take the simple path below.
        if (weights is not null && m > 1 && (long)Count * m * Dimension > 4_000_000)
        {
            var product = FloatRowProducts.Multiply(weights, Count, Dimension, columns, parallel: true);
            for (var i = 0; i < Count; i++)
            {
                for (var l = 0; l < m; l++) product[i * m + l] *= scales![i] * scales[columns[l]];
            }
            return product;
        }
        const int Block = 16;
        var c = new double[Count * m];
        var blocks = (Count + Block - 1) / Block;
        var parallel = (long)Count * m * Dimension > 4_000_000 ? -1 : 1;
        // Blocks of rows against each column in turn: a column (73 KB for a CNN14 filter) is read once per block
        // from cache instead of once per row from memory.
        Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = parallel }, b =>
        {
            var end = Math.Min(Count, (b + 1) * Block);
            for (var l = 0; l < m; l++)
            {
                var j = columns[l];
                for (var i = b * Block; i < end; i++) c[i * m + l] = Product(i, j);
            }
        });
        return c;
    }

    private double Product(int i, int j) => rows is not null
        ? DenseProducts.Dot(rows.AsSpan(i * Dimension, Dimension), rows.AsSpan(j * Dimension, Dimension))
        : DenseProducts.Dot(weights.AsSpan(i * Dimension, Dimension), weights.AsSpan(j * Dimension, Dimension)) * scales![i] * scales[j];
}
