using static TorchSharp.torch;

namespace AudioPrune.Pruning.Numerics;

/// <summary>LAPACK routines through libtorch, for the matrices too large for the managed Jacobi routine.</summary>
internal static class TorchLinearAlgebra
{
    /// <summary>Eigenvalues (descending) and eigenvectors (columns, row-major n x n) of a symmetric matrix.</summary>
    public static (double[] Values, double[] Vectors) SymmetricEigen(double[] a, int n)
    {
        using var scope = NewDisposeScope();
        var (values, vectors) = linalg.eigh(tensor(a, [n, n], ScalarType.Float64));
        // eigh sorts ascending: flip to descending.
        var v = values.flip(0).contiguous().data<double>().ToArray();
        var q = vectors.flip(1).contiguous().data<double>().ToArray();
        return (v, q);
    }

    /// <summary>Spectral norm (largest absolute eigenvalue) of a symmetric matrix.</summary>
    public static double SymmetricSpectralNorm(double[] a, int n)
    {
        using var scope = NewDisposeScope();
        var values = linalg.eigvalsh(tensor(a, [n, n], ScalarType.Float64));
        return values.abs().max().item<double>();
    }
}
