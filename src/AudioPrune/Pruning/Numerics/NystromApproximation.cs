namespace AudioPrune.Pruning.Numerics;

/// <summary>
/// S~ = C pinv_k(W_L) C^T (docs/method.md, `nystrom`; ICASSP 2023) computed as B B^T with B = C Q_k Lambda_k^(-1/2), so the work is
/// n*m*d for C plus n*n*k for the product, instead of n*n*d for the exact matrix.
/// </summary>
internal static class NystromApproximation
{
    /// <summary>Eigenvalues of W_L below this fraction of the largest are treated as zero (pseudo-inverse).</summary>
    public const double RelativeTolerance = 1e-10;

    /// <summary>The approximate similarity matrix (n x n) and the landmarks and rank actually used.</summary>
    public static (double[] Similarity, int[] Landmarks, int Rank) Similarity(
        PrototypeSet p, int landmarks, LandmarkChoice choice, int? rank, int seed)
    {
        var n = p.Count;
        var m = Math.Clamp(landmarks, 1, n);
        var chosen = Choose(p, m, choice, seed);
        var c = p.SimilarityTo(chosen);
        var w = new double[m * m];
        for (var a = 0; a < m; a++)
        {
            for (var b = 0; b < m; b++) w[a * m + b] = c[chosen[a] * m + b];
        }
        DenseProducts.Symmetrise(w, m);
        var (values, vectors) = m <= 64 ? SymmetricEigen.Decompose(w, m) : TorchLinearAlgebra.SymmetricEigen(w, m);
        var limit = RelativeTolerance * Math.Max(values[0], 0);
        var k = Math.Min(rank ?? m, values.Count(v => v > limit && v > 0));
        // B = C Q_k diag(1/sqrt(lambda)) = C R (n x k), R scaled once; each row of B is a sum of rows of R.
        var r = new double[m * k];
        for (var b = 0; b < m; b++)
        {
            for (var e = 0; e < k; e++) r[b * k + e] = vectors[b * m + e] / Math.Sqrt(values[e]);
        }
        var basis = new double[n * k];
        Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = (long)n * m * k > 1_000_000 ? -1 : 1 }, i =>
        {
            var row = basis.AsSpan(i * k, k);
            for (var b = 0; b < m; b++) DenseProducts.Accumulate(row, c[i * m + b], r.AsSpan(b * k, k));
        });
        var s = k == 0 ? new double[n * n] : DenseProducts.Gram(basis, n, k);
        return (s, chosen, k);
    }

    /// <summary>Spectral norm ||D - D~||_2 = ||S~ - S||_2 (both symmetric).</summary>
    public static double SpectralError(double[] exactSimilarity, double[] approximateSimilarity, int n)
    {
        var difference = new double[n * n];
        for (var i = 0; i < difference.Length; i++) difference[i] = approximateSimilarity[i] - exactSimilarity[i];
        return n <= 64 ? SymmetricEigen.Decompose(difference, n).Values.Max(Math.Abs) : TorchLinearAlgebra.SymmetricSpectralNorm(difference, n);
    }

    public static int[] Choose(PrototypeSet p, int m, LandmarkChoice choice, int seed)
    {
        var n = p.Count;
        switch (choice)
        {
            case LandmarkChoice.First:
                return Enumerable.Range(0, m).ToArray();
            case LandmarkChoice.Random:
                var all = Enumerable.Range(0, n).ToArray();
                new Random(seed).Shuffle(all);
                return all.Take(m).Order().ToArray();
            default:
                return Farthest(p, m);
        }
    }

    private static int[] Farthest(PrototypeSet p, int m)
    {
        var n = p.Count;
        var chosen = new List<int> { 0 };
        var nearest = new double[n];
        Array.Fill(nearest, double.PositiveInfinity);
        while (chosen.Count < m)
        {
            var similarity = p.SimilarityTo([chosen[^1]]);
            for (var i = 0; i < n; i++) nearest[i] = Math.Min(nearest[i], 1 - similarity[i]);
            foreach (var c in chosen) nearest[c] = double.NegativeInfinity;
            var next = 0;
            for (var i = 1; i < n; i++)
            {
                if (nearest[i] > nearest[next]) next = i;
            }
            chosen.Add(next);
        }
        return chosen.ToArray();
    }
}
