namespace AudioPrune.Tests.Pruning;

/// <summary>
/// The cyclic Jacobi eigen-decomposition the library used before its Householder-QL solver: slow but accurate to
/// rounding for every eigenvector, so it is the independent reference the new solver is tested against.
/// </summary>
internal static class JacobiReference
{
    private const int MaxSweeps = 60;

    /// <summary>
    /// Decomposes the n x n symmetric matrix <paramref name="a"/> (row-major, destroyed). Returns the eigenvalues in
    /// descending order and the eigenvectors as the columns of a row-major n x n matrix, in the same order.
    /// </summary>
    public static (double[] Values, double[] Vectors) Decompose(double[] a, int n)
    {
        var v = Diagonalise(a, n);
        var values = new double[n];
        for (var i = 0; i < n; i++) values[i] = a[i * n + i];
        var order = Enumerable.Range(0, n).OrderByDescending(i => values[i]).ThenBy(i => i).ToArray();
        var sortedValues = order.Select(i => values[i]).ToArray();
        var sortedVectors = new double[n * n];
        for (var r = 0; r < n; r++)
        {
            for (var c = 0; c < n; c++) sortedVectors[r * n + c] = v[r * n + order[c]];
        }
        return (sortedValues, sortedVectors);
    }

    /// <summary>The eigenvector of the largest eigenvalue (unit length) and that eigenvalue; <paramref name="a"/> is destroyed.</summary>
    public static (double Value, double[] Vector) Dominant(double[] a, int n)
    {
        var v = Diagonalise(a, n);
        var best = 0;
        for (var i = 1; i < n; i++)
        {
            if (a[i * n + i] > a[best * n + best]) best = i;
        }
        var vector = new double[n];
        for (var r = 0; r < n; r++) vector[r] = v[r * n + best];
        return (a[best * n + best], vector);
    }

    /// <summary>Rotates <paramref name="a"/> to diagonal form in place; returns the accumulated rotations (eigenvectors as columns).</summary>
    private static double[] Diagonalise(double[] a, int n)
    {
        var v = new double[n * n];
        for (var i = 0; i < n; i++) v[i * n + i] = 1;
        for (var sweep = 0; sweep < MaxSweeps; sweep++)
        {
            double off = 0, diag = 0;
            for (var p = 0; p < n; p++)
            {
                diag += a[p * n + p] * a[p * n + p];
                for (var q = p + 1; q < n; q++) off += a[p * n + q] * a[p * n + q];
            }
            if (off <= 1e-26 * diag || off == 0) break;
            for (var p = 0; p < n - 1; p++)
            {
                for (var q = p + 1; q < n; q++) Rotate(a, v, n, p, q);
            }
        }
        return v;
    }

    /// <summary>One Jacobi rotation zeroing a[p,q] (Golub and Van Loan, algorithm 8.4.2).</summary>
    private static void Rotate(double[] a, double[] v, int n, int p, int q)
    {
        var apq = a[p * n + q];
        if (apq == 0) return;
        var app = a[p * n + p];
        var aqq = a[q * n + q];
        var tau = (aqq - app) / (2 * apq);
        var t = Math.Sign(tau) / (Math.Abs(tau) + Math.Sqrt(1 + tau * tau));
        if (tau == 0) t = 1;
        var c = 1 / Math.Sqrt(1 + t * t);
        var s = t * c;
        for (var k = 0; k < n; k++)
        {
            var akp = a[k * n + p];
            var akq = a[k * n + q];
            a[k * n + p] = c * akp - s * akq;
            a[k * n + q] = s * akp + c * akq;
        }
        for (var k = 0; k < n; k++)
        {
            var apk = a[p * n + k];
            var aqk = a[q * n + k];
            a[p * n + k] = c * apk - s * aqk;
            a[q * n + k] = s * apk + c * aqk;
        }
        for (var k = 0; k < n; k++)
        {
            var vkp = v[k * n + p];
            var vkq = v[k * n + q];
            v[k * n + p] = c * vkp - s * vkq;
            v[k * n + q] = s * vkp + c * vkq;
        }
    }
}
