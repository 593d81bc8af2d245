using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using static TorchSharp.torch;

namespace AudioPrune.Pruning.Numerics;

/// <summary>
/// Row-major double matrix products. Gram matrices of short rows (rank-1 prototypes, Nystrom bases) run in a
/// managed SIMD kernel with one fixed summation order, so they are exactly symmetric and identical rows give
/// bitwise-identical results (duplicate filters then tie exactly, and the greedy pass's tie rule applies). The Gram
/// matrix of long float rows (the exact "flatten" similarity, thousands of dimensions) goes to libtorch's BLAS in
/// float64, many times faster than managed dot products; the Nystrom product of those rows with a few landmarks has
/// its own blocked kernel (<see cref="FloatRowProducts"/>).
/// The SIMD kernels of the pruning numerics are marked AggressiveOptimization: a prune runs each of them a few
/// times in a fresh process, mostly before tiered compilation would promote them, and tier-0 vector code is several
/// times slower than optimised code.
/// </summary>
internal static class DenseProducts
{
    /// <summary>Above this many multiply-adds the products of float rows run in libtorch.</summary>
    public const long ManagedLimit = 40_000_000;

    /// <summary>Multiply-adds above which a managed product uses every core.</summary>
    private const long ParallelWork = 4_000_000;

    /// <summary>
    /// Rows per band of the upper-triangle product: 8 bands for a 2048-filter layer skip 44 % of the full product,
    /// and 256-row operands still run BLAS at full speed.
    /// </summary>
    private const int TorchRowBlock = 256;

    /// <summary>
    /// The Gram matrix A A^T of A (n x d, row-major), exactly symmetric: entry (i, j) is the fused multiply-add
    /// chain over k of a[i,k] a[j,k] in ascending k, and both the fused multiply-add and that order are the same
    /// for (j, i). A is transposed first so that a row of the result is a run of SIMD lanes across j.
    /// </summary>
    public static double[] Gram(double[] a, int n, int d, bool asDistances = false) =>
        ShortRowGram.Of(a, n, d, (long)n * n * d > ParallelWork, asDistances);

    /// <summary>target = (accumulate ? target : 0) + D / divisor for the clamped distances D = 1 - A A^T of short rows.</summary>
    public static void AddGramDistanceQuotient(double[] a, int n, int d, double[] target, double divisor, bool accumulate) =>
        ShortRowGram.AddDistanceQuotient(a, n, d, (long)n * n * d > ParallelWork, target, divisor, accumulate);

    /// <summary>
    /// W W^T in double for float rows W (n x d), exactly symmetric: managed for small layers, libtorch float64 for
    /// large ones. libtorch computes only the blocks on and above the diagonal (A A^T is symmetric, and BLAS's gemm
    /// would do both halves), a band of rows at a time, and the lower triangle is copied from the upper one.
    /// </summary>
    public static double[] GramOfFloats(float[] w, int n, int d)
    {
        var g = new double[n * n];
        if ((long)n * n * d <= 2 * ManagedLimit)
        {
            Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = (long)n * n * d > 8_000_000 ? -1 : 1 }, i =>
            {
                for (var j = i; j < n; j++) g[i * n + j] = Dot(w.AsSpan(i * d, d), w.AsSpan(j * d, d));
            });
        }
        else
        {
            using var scope = NewDisposeScope();
            var t = AsDoubleTensor(w, n, d);
            var upper = zeros([n, n], ScalarType.Float64);
            for (var r0 = 0; r0 < n; r0 += TorchRowBlock)
            {
                using var inner = NewDisposeScope();
                var rows = Math.Min(TorchRowBlock, n - r0);
                upper.narrow(0, r0, rows).narrow(1, r0, n - r0).copy_(matmul(t.narrow(0, r0, rows), t.narrow(0, r0, n - r0).t()));
            }
            upper.data<double>().CopyTo(g, 0);
        }
        MirrorUpper(g, n);
        return g;
    }

    /// <summary>
    /// Copies the upper triangle of the n x n matrix onto the lower one, in square tiles so that the transposed
    /// reads stay in cache (a plain column walk of a 2048 x 2048 matrix misses on every element).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MirrorUpper(double[] s, int n)
    {
        const int Tile = 32;
        for (var bi = 0; bi < n; bi += Tile)
        {
            for (var bj = 0; bj <= bi; bj += Tile)
            {
                // Lower tile (rows bi.., columns bj..) from upper tile (rows bj.., columns bi..).
                var iEnd = Math.Min(n, bi + Tile);
                for (var i = bi; i < iEnd; i++)
                {
                    var jEnd = Math.Min(i, bj + Tile);
                    for (var j = bj; j < jEnd; j++) s[i * n + j] = s[j * n + i];
                }
            }
        }
    }

    /// <summary>The float rows as a float64 libtorch tensor (n x d); the float32 copy is freed at once.</summary>
    private static Tensor AsDoubleTensor(float[] w, int n, int d)
    {
        using var floats = tensor(w, [n, d], ScalarType.Float32);
        return floats.to_type(ScalarType.Float64);
    }

    /// <summary>target += scale * source, element-wise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Accumulate(Span<double> target, double scale, ReadOnlySpan<double> source)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var factor = Vector256.Create(scale);
            for (; i + 4 <= target.Length; i += 4)
                (Vector256.Create(target.Slice(i, 4)) + factor * Vector256.Create(source.Slice(i, 4))).CopyTo(target.Slice(i, 4));
        }
        for (; i < target.Length; i++) target[i] += scale * source[i];
    }

    /// <summary>
    /// target[i] = (accumulate ? target[i] : 0) + source[i] / divisor, lane by lane as in the scalar tail (IEEE
    /// division is exact per lane, so the result does not depend on the SIMD width). Source may be the target.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddQuotient(Span<double> target, ReadOnlySpan<double> source, double divisor, bool accumulate)
    {
        if (source.Length != target.Length) throw new ArgumentException("target and source lengths differ");
        var i = 0;
        var by = Vector256.Create(divisor);
        for (; i + 4 <= target.Length; i += 4)
        {
            var start = accumulate ? Vector256.Create(target.Slice(i, 4)) : Vector256<double>.Zero;
            (start + Vector256.Create(source.Slice(i, 4)) / by).CopyTo(target.Slice(i, 4));
        }
        for (; i < target.Length; i++) target[i] = (accumulate ? target[i] : 0) + source[i] / divisor;
    }

    /// <summary>Dot product of float vectors accumulated in double (products of floats are exact in double).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        var low = Vector<double>.Zero;
        var high = Vector<double>.Zero;
        var i = 0;
        var width = Vector<float>.Count;
        for (; i <= x.Length - width; i += width)
        {
            Vector.Widen(new Vector<float>(x.Slice(i, width)), out var x0, out var x1);
            Vector.Widen(new Vector<float>(y.Slice(i, width)), out var y0, out var y1);
            low += x0 * y0;
            high += x1 * y1;
        }
        var total = Vector.Sum(low + high);
        for (; i < x.Length; i++) total += (double)x[i] * y[i];
        return total;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        var sum = Vector<double>.Zero;
        var i = 0;
        var width = Vector<double>.Count;
        for (; i <= x.Length - width; i += width) sum += new Vector<double>(x.Slice(i, width)) * new Vector<double>(y.Slice(i, width));
        var total = Vector.Sum(sum);
        for (; i < x.Length; i++) total += x[i] * y[i];
        return total;
    }

    /// <summary>Averages s[i,j] and s[j,i] so the matrix is symmetric to the last bit (BLAS need not be).</summary>
    public static void Symmetrise(double[] s, int n)
    {
        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                var mean = (s[i * n + j] + s[j * n + i]) / 2;
                s[i * n + j] = mean;
                s[j * n + i] = mean;
            }
        }
    }
}
