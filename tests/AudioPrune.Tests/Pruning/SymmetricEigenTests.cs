using AudioPrune.Pruning.Numerics;

namespace AudioPrune.Tests.Pruning;

/// <summary>The Householder-QL eigen solver against known answers, the Jacobi reference and LAPACK (libtorch).</summary>
public sealed class SymmetricEigenTests
{
    [Fact]
    public void Known_small_matrices()
    {
        // [[2, 1], [1, 2]]: eigenvalues 3 and 1, vectors (1, 1) and (1, -1) over sqrt 2.
        var (values, vectors) = SymmetricEigen.Decompose([2, 1, 1, 2], 2);
        Assert.Equal(3, values[0], 14);
        Assert.Equal(1, values[1], 14);
        Assert.Equal(1 / Math.Sqrt(2), Math.Abs(vectors[0]), 14);
        Assert.Equal(vectors[0], vectors[2], 14);
        Assert.Equal(vectors[1], -vectors[3], 14);

        // A diagonal matrix in scrambled order; a 1 x 1 matrix; the zero matrix.
        var (diagonal, basis) = SymmetricEigen.Decompose([1, 0, 0, 0, 5, 0, 0, 0, 3], 3);
        Assert.Equal([5.0, 3, 1], diagonal);
        Assert.Equal(1, Math.Abs(basis[1 * 3 + 0]), 15);
        var (single, direction) = SymmetricEigen.Dominant([7], 1);
        Assert.Equal(7, single);
        Assert.Equal([1.0], direction);
        var (zero, unit) = SymmetricEigen.Dominant(new double[16], 4);
        Assert.Equal(0, zero);
        Assert.Equal(1, unit.Sum(v => v * v), 14);
    }

    [Theory]
    [InlineData(3, 1)]
    [InlineData(5, 2)]
    [InlineData(9, 3)]
    [InlineData(16, 4)]
    [InlineData(49, 5)]
    public void Matches_jacobi_on_random_gram_matrices(int n, int seed)
    {
        for (var trial = 0; trial < 20; trial++)
        {
            var a = RandomGram(n, n + trial % 3, seed * 100 + trial);
            var (values, vectors) = SymmetricEigen.Decompose((double[])a.Clone(), n);
            var (referenceValues, referenceVectors) = JacobiReference.Decompose((double[])a.Clone(), n);
            var scale = referenceValues[0];
            for (var k = 0; k < n; k++) Assert.True(Math.Abs(referenceValues[k] - values[k]) <= 1e-14 * n * scale, $"eigenvalue {k}: {values[k]} vs {referenceValues[k]}");
            AssertDecomposition(a, n, values, vectors);
            // The dominant vector, up to sign (these spectra have a clear top gap).
            var sign = Math.Sign(Dot(Column(vectors, n, 0), Column(referenceVectors, n, 0)));
            for (var r = 0; r < n; r++) Assert.Equal(referenceVectors[r * n], sign * vectors[r * n], 9);
            var (value, vector) = SymmetricEigen.Dominant((double[])a.Clone(), n);
            Assert.Equal(values[0], value);
            Assert.Equal(Column(vectors, n, 0), vector);
        }
    }

    [Fact]
    public void Close_top_eigenvalues_still_give_an_accurate_dominant_vector()
    {
        // Q diag(1, 1 - 1e-9, 0.5, ...) Q^T: power iteration would need billions of steps to separate the top pair.
        const int n = 9;
        var q = Orthonormal(n, seed: 7);
        var spectrum = new double[n];
        spectrum[0] = 1;
        spectrum[1] = 1 - 1e-9;
        for (var k = 2; k < n; k++) spectrum[k] = 0.5 / k;
        var a = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                for (var k = 0; k < n; k++) a[i * n + j] += q[i * n + k] * spectrum[k] * q[j * n + k];
            }
        }
        DenseProducts.Symmetrise(a, n);
        var (value, vector) = SymmetricEigen.Dominant((double[])a.Clone(), n);
        Assert.Equal(1, value, 14);
        // Accuracy is rounding / gap: about 1e-16 / 1e-9.
        var alignment = Math.Abs(Dot(vector, Column(q, n, 0)));
        Assert.True(1 - alignment < 1e-12, $"1 - |<v, q0>| = {1 - alignment}");
    }

    [Fact]
    public void Repeated_eigenvalues_give_an_orthonormal_basis()
    {
        var a = new double[25];
        for (var i = 0; i < 5; i++) a[i * 5 + i] = i < 3 ? 2 : 1;
        // A triple and a double eigenvalue, mixed by a rotation so the solver has work to do.
        var q = Orthonormal(5, seed: 3);
        var mixed = new double[25];
        for (var i = 0; i < 5; i++)
        {
            for (var j = 0; j < 5; j++)
            {
                for (var k = 0; k < 5; k++) mixed[i * 5 + j] += q[i * 5 + k] * a[k * 5 + k] * q[j * 5 + k];
            }
        }
        DenseProducts.Symmetrise(mixed, 5);
        a = mixed;
        var (values, vectors) = SymmetricEigen.Decompose((double[])a.Clone(), 5);
        for (var k = 0; k < 5; k++) Assert.Equal(k < 3 ? 2 : 1, values[k], 14);
        AssertDecomposition(a, 5, values, vectors);
    }

    [Fact]
    public void Matches_lapack_on_a_wide_landmark_matrix()
    {
        var a = RandomGram(64, 20, seed: 9); // rank 20 of 64: many zero eigenvalues, as a Nystrom W_L can have
        var (values, vectors) = SymmetricEigen.Decompose((double[])a.Clone(), 64);
        var (lapack, _) = TorchLinearAlgebra.SymmetricEigen((double[])a.Clone(), 64);
        for (var k = 0; k < 64; k++) Assert.True(Math.Abs(lapack[k] - values[k]) < 1e-12 * lapack[0], $"eigenvalue {k}");
        AssertDecomposition(a, 64, values, vectors);
    }

    /// <summary>A V = V diag(values) and V^T V = I, to rounding relative to the largest eigenvalue.</summary>
    private static void AssertDecomposition(double[] a, int n, double[] values, double[] vectors)
    {
        var tolerance = 1e-12 * Math.Max(1, Math.Abs(values[0])) * n;
        for (var k = 0; k < n; k++)
        {
            var v = Column(vectors, n, k);
            for (var i = 0; i < n; i++)
            {
                double av = 0;
                for (var j = 0; j < n; j++) av += a[i * n + j] * v[j];
                Assert.True(Math.Abs(av - values[k] * v[i]) < tolerance, $"residual of pair {k}, row {i}");
            }
            for (var l = 0; l < n; l++) Assert.Equal(k == l ? 1 : 0, Dot(v, Column(vectors, n, l)), 12);
        }
        for (var k = 1; k < n; k++) Assert.True(values[k] <= values[k - 1]);
    }

    private static double[] RandomGram(int n, int rank, int seed)
    {
        var random = new Random(seed);
        var x = new double[n * rank];
        for (var i = 0; i < x.Length; i++) x[i] = random.NextDouble() * 2 - 1;
        var a = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                for (var k = 0; k < rank; k++) a[i * n + j] += x[i * rank + k] * x[j * rank + k];
            }
        }
        return a;
    }

    private static double[] Orthonormal(int n, int seed)
    {
        // Gram-Schmidt on random columns.
        var random = new Random(seed);
        var q = new double[n * n];
        for (var k = 0; k < n; k++)
        {
            var v = Enumerable.Range(0, n).Select(_ => random.NextDouble() * 2 - 1).ToArray();
            for (var pass = 0; pass < 2; pass++)
            {
                for (var l = 0; l < k; l++)
                {
                    var projection = Dot(v, Column(q, n, l));
                    for (var i = 0; i < n; i++) v[i] -= projection * q[i * n + l];
                }
            }
            var norm = Math.Sqrt(Dot(v, v));
            for (var i = 0; i < n; i++) q[i * n + k] = v[i] / norm;
        }
        return q;
    }

    private static double[] Column(double[] m, int n, int k) => Enumerable.Range(0, n).Select(r => m[r * n + k]).ToArray();

    private static double Dot(double[] x, double[] y) => x.Zip(y, (a, b) => a * b).Sum();
}
