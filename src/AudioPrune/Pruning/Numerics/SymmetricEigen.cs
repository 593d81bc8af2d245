using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AudioPrune.Pruning.Numerics;

/// <summary>
/// Eigen-decomposition of a small symmetric matrix: Householder reduction to tridiagonal form, then the implicit
/// QL algorithm with Wilkinson-type shifts (EISPACK tred2/tql2, as in JAMA). Used for the per-filter Gram matrices
/// (9x9 for 3x3 kernels, at most 49x49 for 7x7) and the Nystrom landmark matrix. Backward stable, so every
/// eigenvector is accurate to rounding relative to its eigenvalue gap, like the cyclic Jacobi method it replaced,
/// and unlike power iteration, whose dominant vector is unreliable when the two largest eigenvalues are close;
/// it costs about 10 n^3 flops against Jacobi's 20-40 n^3 over several sweeps.
/// </summary>
internal static class SymmetricEigen
{
    /// <summary>QL iterations allowed per eigenvalue; convergence is cubic and takes 1-3 in practice.</summary>
    private const int MaxIterations = 60;

    /// <summary>
    /// Decomposes the n x n symmetric matrix <paramref name="a"/> (row-major; it is destroyed). Returns the
    /// eigenvalues in descending order and the eigenvectors as the columns of a row-major n x n matrix, in the same order.
    /// </summary>
    public static (double[] Values, double[] Vectors) Decompose(double[] a, int n)
    {
        var values = Diagonalise(a, n);
        // Diagonalise sorts ascending: reverse the order of values and columns.
        var sortedValues = new double[n];
        var sortedVectors = new double[n * n];
        for (var c = 0; c < n; c++) sortedValues[c] = values[n - 1 - c];
        for (var r = 0; r < n; r++)
        {
            for (var c = 0; c < n; c++) sortedVectors[r * n + c] = a[(n - 1 - c) * n + r];
        }
        return (sortedValues, sortedVectors);
    }

    /// <summary>The eigenvector of the largest eigenvalue (unit length) and that eigenvalue; <paramref name="a"/> is destroyed.</summary>
    public static (double Value, double[] Vector) Dominant(double[] a, int n)
    {
        var values = Diagonalise(a, n);
        var vector = a.AsSpan((n - 1) * n, n).ToArray();
        return (values[n - 1], vector);
    }

    /// <summary>
    /// Replaces <paramref name="a"/> by its eigenvectors as ROWS and returns the eigenvalues, both in ascending
    /// order of eigenvalue. The matrix is used as the accumulator of the orthogonal transformations (JAMA's V),
    /// transposed for the QL step, whose rotations then combine two contiguous rows (SIMD) instead of two columns.
    /// </summary>
    private static double[] Diagonalise(double[] a, int n)
    {
        if (a.Length < n * n) throw new ArgumentException($"matrix holds {a.Length} values, expected {n * n}", nameof(a));
        var d = new double[n];
        var e = new double[n];
        Tridiagonalise(a, n, d, e);
        Transpose(a, n);
        Ql(a, n, d, e);
        return d;
    }

    /// <summary>
    /// Householder reduction of the symmetric matrix held in <paramref name="v"/> to tridiagonal form: on return d
    /// is the diagonal, e[1..] the subdiagonal and v the orthogonal transformation (tred2).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tridiagonalise(double[] v, int n, double[] d, double[] e)
    {
        for (var j = 0; j < n; j++) d[j] = v[(n - 1) * n + j];
        for (var i = n - 1; i > 0; i--)
        {
            // Scale the row against under- and overflow.
            double scale = 0, h = 0;
            for (var k = 0; k < i; k++) scale += Math.Abs(d[k]);
            if (scale == 0)
            {
                e[i] = d[i - 1];
                for (var j = 0; j < i; j++)
                {
                    d[j] = v[(i - 1) * n + j];
                    v[i * n + j] = 0;
                    v[j * n + i] = 0;
                }
            }
            else
            {
                // The Householder vector.
                for (var k = 0; k < i; k++)
                {
                    d[k] /= scale;
                    h += d[k] * d[k];
                }
                var f = d[i - 1];
                var g = Math.Sqrt(h);
                if (f > 0) g = -g;
                e[i] = scale * g;
                h -= f * g;
                d[i - 1] = f - g;
                for (var j = 0; j < i; j++) e[j] = 0;
                // Apply the similarity transformation to the remaining columns.
                for (var j = 0; j < i; j++)
                {
                    f = d[j];
                    v[j * n + i] = f;
                    g = e[j] + v[j * n + j] * f;
                    for (var k = j + 1; k <= i - 1; k++)
                    {
                        g += v[k * n + j] * d[k];
                        e[k] += v[k * n + j] * f;
                    }
                    e[j] = g;
                }
                f = 0;
                for (var j = 0; j < i; j++)
                {
                    e[j] /= h;
                    f += e[j] * d[j];
                }
                var hh = f / (h + h);
                for (var j = 0; j < i; j++) e[j] -= hh * d[j];
                for (var j = 0; j < i; j++)
                {
                    f = d[j];
                    g = e[j];
                    for (var k = j; k <= i - 1; k++) v[k * n + j] -= f * e[k] + g * d[k];
                    d[j] = v[(i - 1) * n + j];
                    v[i * n + j] = 0;
                }
            }
            d[i] = h;
        }
        // Accumulate the transformations.
        for (var i = 0; i < n - 1; i++)
        {
            v[(n - 1) * n + i] = v[i * n + i];
            v[i * n + i] = 1;
            var h = d[i + 1];
            if (h != 0)
            {
                for (var k = 0; k <= i; k++) d[k] = v[k * n + i + 1] / h;
                for (var j = 0; j <= i; j++)
                {
                    double g = 0;
                    for (var k = 0; k <= i; k++) g += v[k * n + i + 1] * v[k * n + j];
                    for (var k = 0; k <= i; k++) v[k * n + j] -= g * d[k];
                }
            }
            for (var k = 0; k <= i; k++) v[k * n + i + 1] = 0;
        }
        for (var j = 0; j < n; j++)
        {
            d[j] = v[(n - 1) * n + j];
            v[(n - 1) * n + j] = 0;
        }
        v[(n - 1) * n + n - 1] = 1;
        e[0] = 0;
    }

    /// <summary>
    /// Implicit QL iterations on the tridiagonal (d, e), accumulating the rotations into the rows of
    /// <paramref name="v"/> (tql2 on V^T); then sorts the eigenvalues ascending with their vectors.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Ql(double[] v, int n, double[] d, double[] e)
    {
        for (var i = 1; i < n; i++) e[i - 1] = e[i];
        e[n - 1] = 0;
        double f = 0, tst1 = 0;
        const double eps = 2.220446049250313e-16; // 2^-52, the unit roundoff of double
        for (var l = 0; l < n; l++)
        {
            // Find a negligible subdiagonal element.
            tst1 = Math.Max(tst1, Math.Abs(d[l]) + Math.Abs(e[l]));
            var m = l;
            while (m < n && Math.Abs(e[m]) > eps * tst1) m++;
            if (m > l)
            {
                var iteration = 0;
                do
                {
                    if (++iteration > MaxIterations)
                        throw new ArithmeticException($"symmetric eigen-decomposition did not converge (n = {n})");
                    // The implicit shift.
                    var g = d[l];
                    var p = (d[l + 1] - g) / (2 * e[l]);
                    var r = Hypot(p, 1);
                    if (p < 0) r = -r;
                    d[l] = e[l] / (p + r);
                    d[l + 1] = e[l] * (p + r);
                    var dl1 = d[l + 1];
                    var h = g - d[l];
                    for (var i = l + 2; i < n; i++) d[i] -= h;
                    f += h;
                    // The implicit QL transformation.
                    p = d[m];
                    double c = 1, c2 = 1, c3 = 1, s = 0, s2 = 0;
                    var el1 = e[l + 1];
                    for (var i = m - 1; i >= l; i--)
                    {
                        c3 = c2;
                        c2 = c;
                        s2 = s;
                        g = c * e[i];
                        h = c * p;
                        r = Hypot(p, e[i]);
                        e[i + 1] = s * r;
                        s = e[i] / r;
                        c = p / r;
                        p = c * d[i] - s * g;
                        d[i + 1] = h + s * (c * g + s * d[i]);
                        Rotate(v.AsSpan(i * n, n), v.AsSpan((i + 1) * n, n), c, s);
                    }
                    p = -s * s2 * c3 * el1 * e[l] / dl1;
                    e[l] = s * p;
                    d[l] = c * p;
                }
                while (Math.Abs(e[l]) > eps * tst1);
            }
            d[l] += f;
            e[l] = 0;
        }
        // Selection sort, ascending (n is small).
        for (var i = 0; i < n - 1; i++)
        {
            var k = i;
            var p = d[i];
            for (var j = i + 1; j < n; j++)
            {
                if (d[j] < p)
                {
                    k = j;
                    p = d[j];
                }
            }
            if (k == i) continue;
            d[k] = d[i];
            d[i] = p;
            for (var j = 0; j < n; j++) (v[i * n + j], v[k * n + j]) = (v[k * n + j], v[i * n + j]);
        }
    }

    /// <summary>(x, y) := (c x - s y, s x + c y), element-wise: one QL rotation of two eigenvector rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rotate(Span<double> x, Span<double> y, double c, double s)
    {
        var k = 0;
        var cv = Vector256.Create(c);
        var sv = Vector256.Create(s);
        for (; k + 4 <= x.Length; k += 4)
        {
            var xv = Vector256.Create((ReadOnlySpan<double>)x.Slice(k, 4));
            var yv = Vector256.Create((ReadOnlySpan<double>)y.Slice(k, 4));
            (cv * xv - sv * yv).CopyTo(x.Slice(k, 4));
            (sv * xv + cv * yv).CopyTo(y.Slice(k, 4));
        }
        for (; k < x.Length; k++)
        {
            var h = y[k];
            y[k] = s * x[k] + c * h;
            x[k] = c * x[k] - s * h;
        }
    }

    /// <summary>
    /// sqrt(x^2 + y^2): the plain formula when the squares neither overflow nor underflow (always, for Gram matrices
    /// of float weights), else double.Hypot, whose scaling took a large share of the QL step's time.
    /// </summary>
    private static double Hypot(double x, double y)
    {
        var squares = x * x + y * y;
        return squares is > 1e-290 and < 1e290 ? Math.Sqrt(squares) : double.Hypot(x, y);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Transpose(double[] a, int n)
    {
        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++) (a[i * n + j], a[j * n + i]) = (a[j * n + i], a[i * n + j]);
        }
    }
}
