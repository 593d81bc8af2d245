using System.Numerics;
using static TorchSharp.torch;

namespace AudioPrune.Pruning.Numerics;

/// <summary>
/// Row-major double matrix products A B^T (rows of A against rows of B). Small products run in managed SIMD
/// code with one fixed summation order, so identical rows give bitwise-identical results (duplicate filters then
/// tie exactly, and the greedy pass's tie rule applies); large ones (the "flatten" representation, thousands of
/// dimensions) go to libtorch's BLAS in float64, which is many times faster.
/// </summary>
public static class DenseProducts
{
    /// <summary>Above this many multiply-adds the product runs in libtorch.</summary>
    public const long ManagedLimit = 40_000_000;

    /// <summary>C = A B^T with A (n x d) and B (m x d); C is n x m.</summary>
    public static double[] MultiplyTransposed(double[] a, int n, double[] b, int m, int d)
    {
        if ((long)n * m * d > ManagedLimit) return WithTorch(a, n, b, m, d);
        var c = new double[n * m];
        var same = ReferenceEquals(a, b);
        Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = n * (long)m * d > 8_000_000 ? -1 : 1 }, i =>
        {
            var rowA = a.AsSpan(i * d, d);
            for (var j = same ? i : 0; j < m; j++)
            {
                var value = Dot(rowA, b.AsSpan(j * d, d));
                c[i * m + j] = value;
                if (same) c[j * m + i] = value;
            }
        });
        return c;
    }

    /// <summary>The Gram matrix A A^T, exactly symmetric.</summary>
    public static double[] Gram(double[] a, int n, int d)
    {
        var g = MultiplyTransposed(a, n, a, n, d);
        Symmetrise(g, n);
        return g;
    }

    /// <summary>W W^T in double for float rows W (n x d): managed for small layers, libtorch float64 for large ones.</summary>
    public static double[] GramOfFloats(float[] w, int n, int d)
    {
        double[] g;
        if ((long)n * n * d <= 2 * ManagedLimit)
        {
            g = new double[n * n];
            Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = (long)n * n * d > 8_000_000 ? -1 : 1 }, i =>
            {
                for (var j = i; j < n; j++)
                {
                    var value = Dot(w.AsSpan(i * d, d), w.AsSpan(j * d, d));
                    g[i * n + j] = value;
                    g[j * n + i] = value;
                }
            });
            return g;
        }
        using (var scope = NewDisposeScope())
        {
            var t = tensor(w, [n, d], ScalarType.Float32).to_type(ScalarType.Float64);
            g = matmul(t, t.t()).contiguous().data<double>().ToArray();
        }
        Symmetrise(g, n);
        return g;
    }

    /// <summary>Dot product of float vectors accumulated in double (products of floats are exact in double).</summary>
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

    private static double[] WithTorch(double[] a, int n, double[] b, int m, int d)
    {
        using var scope = NewDisposeScope();
        var ta = tensor(a, [n, d], ScalarType.Float64);
        var tb = ReferenceEquals(a, b) ? ta : tensor(b, [m, d], ScalarType.Float64);
        var product = matmul(ta, tb.t()).contiguous();
        return product.data<double>().ToArray();
    }
}
