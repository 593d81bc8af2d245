using AudioPrune.Common;
using AudioPrune.Graph;
using AudioPrune.Pruning;
using AudioPrune.Pruning.Numerics;

namespace AudioPrune.Tests.Pruning;

/// <summary>The SIMD and BLAS kernels of the similarity criteria against naive loops, at sizes that exercise every tail.</summary>
public sealed class NumericKernelTests
{
    [Fact]
    public void Filter_gram_matches_naive_dot_products_for_every_tail()
    {
        var random = new Random(1);
        foreach (var count in new[] { 1, 2, 3, 4, 5, 7, 8, 9, 16, 49 })
        {
            foreach (var length in new[] { 1, 2, 3, 4, 5, 7, 8, 9, 13, 64, 67 })
            {
                // Widened floats, as the prototypes use: every product is exact in double.
                var rows = Enumerable.Range(0, count * length).Select(_ => (double)(float)(random.NextDouble() * 2 - 1)).ToArray();
                var gram = new double[count * count];
                FilterGram.OfRows(rows, count, length, gram);
                for (var i = 0; i < count; i++)
                {
                    for (var j = 0; j < count; j++)
                    {
                        var naive = NaiveDot(rows, i, j, length);
                        Assert.True(Math.Abs(naive - gram[i * count + j]) <= 1e-13 * length, $"{count} x {length}: ({i}, {j})");
                        Assert.Equal(gram[j * count + i], gram[i * count + j]);
                    }
                }
            }
        }
    }

    [Fact]
    public void Gram_of_3x3_filters_from_the_weights_matches_the_transposed_rows()
    {
        var random = new Random(8);
        foreach (var channels in new[] { 1, 2, 3, 8, 9, 10, 64, 67 })
        {
            var x = Enumerable.Range(0, channels * 9).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
            var rows = new double[9 * channels];
            for (var c = 0; c < channels; c++)
            {
                for (var t = 0; t < 9; t++) rows[t * channels + c] = x[c * 9 + t];
            }
            var expected = new double[81];
            FilterGram.OfRows(rows, 9, channels, expected);
            var gram = new double[81];
            FilterGram.OfTaps3x3(x, channels, gram);
            for (var k = 0; k < 81; k++) Assert.True(Math.Abs(expected[k] - gram[k]) <= 1e-14 * channels, $"C = {channels}: entry {k}");
            for (var i = 0; i < 9; i++)
            {
                for (var j = 0; j < 9; j++) Assert.Equal(gram[i * 9 + j], gram[j * 9 + i]);
            }
        }
    }

    [Fact]
    public void Degenerate_3x3_prototype_with_many_channels_follows_the_sign_rule()
    {
        // Channel 0 of filter 0 is zero, so V[0,0] = 0 and the sign comes from the first non-zero entry of V[:,0].
        var bank = Banks.Random(3, 12, 3, 3, seed: 9);
        for (var t = 0; t < 9; t++) bank.Weights[t] = 0;
        var prototypes = Prototypes.Rank1(bank);
        Assert.Equal([0], prototypes.DegenerateFilters);
        for (var f = 0; f < 3; f++)
        {
            var x = new double[9 * 12];
            for (var c = 0; c < 12; c++)
            {
                for (var t = 0; t < 9; t++) x[t * 12 + c] = bank[f, c, t];
            }
            using var scope = TorchSharp.torch.NewDisposeScope();
            var (u, _, vh) = TorchSharp.torch.linalg.svd(TorchSharp.torch.tensor(x, [9, 12], TorchSharp.torch.ScalarType.Float64), fullMatrices: false);
            var v = Enumerable.Range(0, 12).Select(c => vh[0, c].item<double>()).ToArray();
            var sign = Math.Sign(v.First(value => Math.Abs(value) > 1e-12));
            for (var t = 0; t < 9; t++) Assert.Equal(sign * u[t, 0].item<double>(), prototypes.Rows[f * 9 + t], 9);
        }
    }

    [Fact]
    public void Short_row_gram_is_exactly_symmetric_matches_naive_and_ties_duplicates()
    {
        var random = new Random(2);
        foreach (var n in new[] { 1, 2, 3, 4, 5, 7, 8, 9, 12, 13, 31, 64, 67 })
        {
            foreach (var d in new[] { 1, 2, 9, 49 })
            {
                var a = Enumerable.Range(0, n * d).Select(_ => random.NextDouble() * 2 - 1).ToArray();
                if (n > 3) a.AsSpan(0, d).CopyTo(a.AsSpan((n - 1) * d, d)); // the last row duplicates the first
                var s = DenseProducts.Gram(a, n, d);
                for (var i = 0; i < n; i++)
                {
                    for (var j = 0; j < n; j++)
                    {
                        var naive = NaiveDot(a, i, j, d);
                        Assert.True(Math.Abs(naive - s[i * n + j]) <= 1e-14 * d, $"{n} x {d}: ({i}, {j})");
                        Assert.Equal(s[j * n + i], s[i * n + j]);
                        if (n > 3) Assert.Equal(s[i * n + 0], s[i * n + n - 1]);
                    }
                }
            }
        }
    }

    [Fact]
    public void Large_short_row_gram_runs_in_parallel_with_the_same_result()
    {
        var random = new Random(3);
        const int n = 1030, d = 9; // above the parallel threshold, with a row and a column tail
        var a = Enumerable.Range(0, n * d).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        var s = DenseProducts.Gram(a, n, d);
        foreach (var (i, j) in new[] { (0, 0), (5, 1029), (1029, 5), (1028, 1027), (513, 2) })
        {
            double c = 0;
            for (var k = 0; k < d; k++) c = Math.FusedMultiplyAdd(a[i * d + k], a[j * d + k], c);
            Assert.Equal(c, s[i * n + j]); // the documented summation order, bit for bit
        }
    }

    [Fact]
    public void Float_gram_in_libtorch_bands_matches_the_managed_product()
    {
        var random = new Random(4);
        const int n = 300, d = 1000; // n * n * d = 90 M: the libtorch path, with a partial last band
        var w = Enumerable.Range(0, n * d).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var g = DenseProducts.GramOfFloats(w, n, d);
        for (var i = 0; i < n; i += 7)
        {
            for (var j = 0; j < n; j += 11)
            {
                Assert.Equal(DenseProducts.Dot(w.AsSpan(i * d, d), w.AsSpan(j * d, d)), g[i * n + j], 10);
                Assert.Equal(g[j * n + i], g[i * n + j]);
            }
        }
    }

    [Fact]
    public void Float_rows_against_chosen_rows_match_managed_dots_for_every_tail()
    {
        var random = new Random(5);
        // d = 1100: two full chunks of k and a tail; an odd row count; landmark counts around the group of four.
        foreach (var (n, d) in new[] { (301, 1100), (5, 3), (2, 513) })
        {
            var w = Enumerable.Range(0, n * d).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
            foreach (var columns in new[] { new[] { 0 }, new[] { 1, 0 }, new[] { 0, 3 % n, n - 1, 42 % n, 1 }, Enumerable.Range(0, Math.Min(n, 8)).ToArray() })
            {
                var c = FloatRowProducts.Multiply(w, n, d, columns, parallel: true);
                for (var i = 0; i < n; i++)
                {
                    for (var l = 0; l < columns.Length; l++)
                    {
                        // Exact products, summed in another order: rounding of a few ulps of the sum of |terms| (<= d).
                        var expected = DenseProducts.Dot(w.AsSpan(i * d, d), w.AsSpan(columns[l] * d, d));
                        Assert.True(Math.Abs(expected - c[i * columns.Length + l]) <= 1e-15 * d * 8, $"{n} x {d}: ({i}, {l})");
                    }
                }
            }
        }
    }

    [Fact]
    public void Flatten_similarity_to_landmarks_agrees_between_the_blocked_kernel_and_plain_dots()
    {
        // 160 x 9 x 3 x 3 = d 81: 160 * 40 * 81 takes the plain path, 1200 * 40 * 2304 the blocked kernel.
        foreach (var (filters, channels) in new[] { (160, 9), (1200, 256) })
        {
            var bank = Banks.Random(filters, channels, 3, 3, seed: 6);
            var prototypes = Prototypes.Flatten(bank);
            var columns = Enumerable.Range(0, 40).Select(l => l * 3).ToArray();
            var c = prototypes.SimilarityTo(columns);
            foreach (var i in new[] { 0, 1, 77, filters - 1 })
            {
                foreach (var l in new[] { 0, 17, 39 })
                {
                    var pi = bank.Filter(i);
                    var pj = bank.Filter(columns[l]);
                    var expected = DenseProducts.Dot(pi, pj) / Math.Sqrt(DenseProducts.Dot(pi, pi) * DenseProducts.Dot(pj, pj));
                    Assert.Equal(expected, c[i * columns.Length + l], 12);
                }
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(31)]
    [InlineData(32)]
    [InlineData(33)]
    [InlineData(100)]
    public void Mirror_copies_the_upper_triangle(int n)
    {
        var s = Enumerable.Range(0, n * n).Select(v => (double)v).ToArray();
        DenseProducts.MirrorUpper(s, n);
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++) Assert.Equal(i <= j ? i * n + j : j * n + i, s[i * n + j]);
        }
    }

    [Fact]
    public void Nearest_neighbours_with_simd_follow_the_scalar_rule_including_ties()
    {
        var random = new Random(7);
        foreach (var n in new[] { 2, 3, 5, 8, 9, 17, 300 })
        {
            // Distances on a coarse grid, so ties are common; ties must go to the lowest index.
            var distances = Enumerable.Range(0, n * n).Select(_ => random.Next(4) / 2.0).ToArray();
            if (n > 4) distances[3 * n + 1] = -0.0; // a negative zero ties with zero
            var (neighbour, distance) = GreedySimilarity.NearestNeighbours(distances, n, Enumerable.Range(0, n).ToArray());
            for (var i = 0; i < n; i++)
            {
                var best = -1;
                for (var j = 0; j < n; j++)
                {
                    if (j != i && (best < 0 || distances[i * n + j] < distances[i * n + best])) best = j;
                }
                Assert.Equal(best, neighbour[i]);
                Assert.Equal(distances[i * n + best], distance[i]);
            }
        }
    }

    [Fact]
    public void Nearest_neighbours_of_a_subset_and_a_row_with_nan_use_the_scalar_rule()
    {
        double[] d = [0, 1, 0.5, double.NaN, 1, 0, 0.2, 0.3, 0.5, 0.2, 0, 0.1, double.NaN, 0.3, 0.1, 0];
        var (all, _) = GreedySimilarity.NearestNeighbours(d, 4, [0, 1, 2, 3]);
        Assert.Equal([2, 2, 3, 0], all); // row 3 starts with NaN: the reference rule keeps that first entry (nothing is smaller than NaN)
        var (subset, distance) = GreedySimilarity.NearestNeighbours(d, 4, [1, 3]);
        Assert.Equal([3, 1], subset);
        Assert.Equal([0.3, 0.3], distance);
    }

    [Fact]
    public void Similarity_to_distance_clamps_like_math_clamp_in_every_lane()
    {
        double[] s = [1, 1 + 1e-15, -1 - 1e-15, 0.25, 1, -1, 0.5, 1 + 2e-16, 3];
        var expected = s.Select(v => Math.Clamp(1 - v, 0, 2)).ToArray();
        Assert.Equal(expected, CosineDistances.FromSimilarity((double[])s.Clone()));
        Assert.Equal(s.Select(v => 1 - v).ToArray(), CosineDistances.FromSimilarity((double[])s.Clone(), clamp: false));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(1000)]
    [InlineData(1023)]
    public void Non_finite_weights_are_found_anywhere_in_a_long_layer(int position)
    {
        foreach (var bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
        {
            var data = Enumerable.Range(0, 1024).Select(i => (float)Math.Sin(i) * 1e30f).ToArray();
            data[position] = bad;
            var e = Assert.Throws<UserInputException>(() => new FilterBank("conv9", new TensorData([16, 4, 4, 4], data)));
            Assert.Contains($"element {position}", e.Message);
        }
        var fine = Enumerable.Range(0, 1024).Select(i => float.MaxValue * (i % 2 == 0 ? 1 : -1)).ToArray();
        Assert.Equal(16, new FilterBank("conv9", new TensorData([16, 4, 4, 4], fine)).Filters);
    }

    /// <summary>The reference: rows i and j of a row-major matrix dotted in a plain loop.</summary>
    private static double NaiveDot(double[] rows, int i, int j, int length)
    {
        double sum = 0;
        for (var k = 0; k < length; k++) sum += rows[i * length + k] * rows[j * length + k];
        return sum;
    }
}
