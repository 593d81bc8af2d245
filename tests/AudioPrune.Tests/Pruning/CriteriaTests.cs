using AudioPrune.Common;
using AudioPrune.Graph;
using AudioPrune.Pruning;
using AudioPrune.Pruning.Criteria;
using AudioPrune.Pruning.Numerics;

namespace AudioPrune.Tests.Pruning;

/// <summary>Every criterion on hand-made weights whose answers follow from docs/method.md and the papers by hand.</summary>
public sealed class CriteriaTests
{
    [Fact]
    public void L1_sums_absolute_values_and_prunes_the_smallest()
    {
        var bank = Banks.Rows([1, 1], [2, -2], [0.5, 0.5]);
        var importance = new L1Importance().Score(bank);
        Assert.Equal([2, 4, 1], importance.Scores);
        Assert.Equal([0, 1], importance.Kept(2));
    }

    [Fact]
    public void L2_is_the_euclidean_norm_and_ties_keep_the_lower_index()
    {
        var bank = Banks.Rows([3, 4], [0, 1], [4, 3], [-5, 0]);
        var importance = new L2Importance().Score(bank);
        Assert.Equal([5, 1, 5, 5], importance.Scores);
        Assert.Equal([0, 2], importance.Kept(2));
        Assert.Equal([0], importance.Kept(1));
    }

    [Fact]
    public void Fpgm_prunes_the_filter_nearest_the_geometric_median()
    {
        // Points 0, 1, 3 on a line: distance sums 4, 3, 5.
        var bank = Banks.Rows([0], [1], [3]);
        var importance = new FpgmImportance().Score(bank);
        Assert.Equal(4, importance.Scores[0], 9);
        Assert.Equal(3, importance.Scores[1], 9);
        Assert.Equal(5, importance.Scores[2], 9);
        Assert.Equal([0, 2], importance.Kept(2));
    }

    [Fact]
    public void Gm_is_the_squared_gap_between_layer_and_filter_geometric_means()
    {
        // Layer geometric mean (1*1*4*4*2*2)^(1/6) = 2; filters 1, 4, 2: scores 1, 4, 0.
        var bank = Banks.Rows([1, -1], [4, 4], [2, -2]);
        var importance = new GeometricMeanImportance().Score(bank);
        Assert.Equal(1, importance.Scores[0], 6);
        Assert.Equal(4, importance.Scores[1], 6);
        Assert.Equal(0, importance.Scores[2], 6);
        Assert.Equal([0, 1], importance.Kept(2));
    }

    [Fact]
    public void Gm_survives_zero_weights()
    {
        var importance = new GeometricMeanImportance().Score(Banks.Rows([0, 0], [1, 1]));
        Assert.All(importance.Scores, s => Assert.True(double.IsFinite(s)));
    }

    [Fact]
    public void Opnorm_projects_on_the_top_direction_with_filter_zero_positive()
    {
        // One channel, taps (x, 0): centred rows 1, 3, -1, -3 on direction (1, 0): scores 1, 9, 1, 9.
        var single = new OpNormImportance().Score(Banks.Rows([1, 0], [3, 0], [-1, 0], [-3, 0]));
        AssertClose([1, 9, 1, 9], single.Scores);
        Assert.Equal([1, 3], single.Kept(2));

        // Channel 1 is channel 0 negated: its direction's sign is fixed by filter 0, so the projections add up.
        var doubled = new OpNormImportance().Score(Banks.Layer(2, 1, 2,
            [1, 0, -1, 0], [3, 0, -3, 0], [-1, 0, 1, 0], [-3, 0, 3, 0]));
        AssertClose([4, 36, 4, 36], doubled.Scores);
    }

    [Fact]
    public void Random_is_reproducible_per_seed_and_layer()
    {
        var bank = Banks.Random(32, 2, 3, 3, seed: 1);
        var a = new RandomImportance(7).Score(bank);
        Assert.Equal(a.Scores, new RandomImportance(7).Score(bank).Scores);
        Assert.NotEqual(a.Scores, new RandomImportance(8).Score(bank).Scores);
        Assert.Equal(20, a.Kept(20).Length);
    }

    [Fact]
    public void Similarity_keeps_one_of_a_close_pair_and_treats_opposite_filters_as_far()
    {
        // f0 and f1 nearly parallel; f3 = -f0 (distance 2); f2 orthogonal to f0.
        var importance = new SimilarityImportance().Score(Banks.Rows([1, 0], [1, 0.1], [0, 1], [-1, 0]));
        var s = importance.Similarity!;
        Assert.Equal([1, 0, 1, 2], s.NearestNeighbour);
        Assert.Equal(1 - 1 / Math.Sqrt(1.01), s.NearestDistance[0], 6); // weights are float32
        Assert.Equal(2, s.Distances[0 * 4 + 3], 12);
        // Visit 0 (keep, mark 1), 1 (redundant), 2 (keep; 1 already marked), 3 (keep; its neighbour 2 stays kept).
        Assert.Equal([0, 2, 3], importance.Kept(null));
    }

    [Fact]
    public void Similarity_with_duplicate_filters_follows_the_tie_rules()
    {
        var importance = new SimilarityImportance().Score(Banks.Rows([1, 2], [1, 2], [1, 2], [2, -1]));
        var s = importance.Similarity!;
        // Ties go to the lowest index: 0 -> 1, 1 -> 0, 2 -> 0, 3 -> 0 (3 is orthogonal to all three).
        Assert.Equal([1, 0, 0, 0], s.NearestNeighbour);
        Assert.Equal([0, 2, 3], importance.Kept(null));
        // A count: the second pass on {0, 2, 3} keeps 0 and marks its duplicate 2.
        Assert.Equal([0, 3], importance.Kept(2));
        Assert.Equal([0], importance.Kept(1));
    }

    [Fact]
    public void Similarity_prunes_at_most_half_in_one_pass_and_reaches_any_count_by_repeating()
    {
        var importance = new SimilarityImportance().Score(Banks.Random(64, 8, 3, 3, seed: 3));
        Assert.InRange(importance.Kept(null).Length, 32, 64);
        for (var keep = 1; keep <= 64; keep += 7)
        {
            var kept = importance.Kept(keep);
            Assert.Equal(keep, kept.Length);
            Assert.Equal(kept.Order(), kept);
        }
        // The repeated pass starts from the single pass: the paper's pruned filters stay pruned.
        var single = importance.Kept(null);
        Assert.Subset(single.ToHashSet(), importance.Kept(single.Length - 5).ToHashSet());
    }

    [Fact]
    public void Rank1_prototype_is_the_sign_fixed_dominant_left_singular_vector()
    {
        var bank = Banks.Random(12, 5, 3, 3, seed: 11);
        var prototypes = Prototypes.Rank1(bank);
        for (var f = 0; f < bank.Filters; f++)
        {
            // Reference: LAPACK SVD through libtorch of X_f = W[f].reshape(C, 9).T.
            var x = new double[9 * 5];
            for (var c = 0; c < 5; c++)
            {
                for (var t = 0; t < 9; t++) x[t * 5 + c] = bank[f, c, t];
            }
            using var scope = TorchSharp.torch.NewDisposeScope();
            var (u, _, vh) = TorchSharp.torch.linalg.svd(TorchSharp.torch.tensor(x, [9, 5], TorchSharp.torch.ScalarType.Float64), fullMatrices: false);
            var sign = Math.Sign(vh[0, 0].item<double>());
            for (var t = 0; t < 9; t++) Assert.Equal(sign * u[t, 0].item<double>(), prototypes.Rows[f * 9 + t], 9);
        }
        Assert.Empty(prototypes.DegenerateFilters);
    }

    [Fact]
    public void Rank1_prototype_with_more_taps_than_channels_uses_the_other_gram_matrix()
    {
        // C = 1: the prototype is the normalised filter itself.
        var prototypes = Prototypes.Rank1(Banks.Rows([3, 0, -4]));
        AssertClose([0.6, 0, -0.8], prototypes.Rows);
        // C = 2 < taps = 4: X = [[1, 2], [2, 4], [0, 0], [1, 2]] is rank one, u = (1, 2, 0, 1) / sqrt(6), V[0,0] > 0.
        var two = Prototypes.Rank1(Banks.Layer(2, 2, 2, [1, 2, 0, 1, 2, 4, 0, 2]));
        AssertClose(new double[] { 1, 2, 0, 1 }.Select(v => v / Math.Sqrt(6)).ToArray(), two.Rows);
    }

    [Fact]
    public void Degenerate_rank1_prototype_takes_its_sign_from_the_first_nonzero_entry_of_V()
    {
        // Channel 0 is zero, so V[0,0] = 0; channel 1 holds (1, 2) or its negation.
        var bank = Banks.Layer(2, 1, 2, [0, 0, 1, 2], [0, 0, -1, -2], [1, 1, 0, 0]);
        var prototypes = Prototypes.Rank1(bank);
        Assert.Equal([0, 1], prototypes.DegenerateFilters);
        var unit = new[] { 1 / Math.Sqrt(5), 2 / Math.Sqrt(5) };
        AssertClose(unit, prototypes.Rows[0..2]);
        AssertClose(unit.Select(v => -v).ToArray(), prototypes.Rows[2..4]);
        var importance = new SimilarityImportance().Score(bank);
        Assert.Equal(2, importance.Similarity!.Distances[0 * 3 + 1], 9);
        Assert.Equal([0, 1], importance.Similarity.DegenerateFilters);
    }

    [Fact]
    public void A_one_filter_layer_keeps_its_filter_under_every_criterion()
    {
        var bank = Banks.Rows([1, 2, 3]);
        foreach (var criterion in AllCriteria())
        {
            var importance = criterion.Score(bank);
            Assert.Equal([0], importance.Kept(criterion.SelectsOwnCount() ? null : 1));
            Assert.Equal([0], importance.Kept(1));
        }
    }

    [Fact]
    public void Non_finite_weights_are_refused_naming_the_layer()
    {
        var weight = new TensorData([2, 1, 1, 2], [1, float.NaN, 0, 1]);
        var e = Assert.Throws<UserInputException>(() => new FilterBank("conv7", weight));
        Assert.Contains("conv7", e.Message);
    }

    [Fact]
    public void Every_criterion_scores_every_filter_finitely()
    {
        var bank = Banks.Random(24, 3, 3, 3, seed: 5);
        foreach (var criterion in AllCriteria())
        {
            var importance = criterion.Score(bank);
            Assert.Equal(24, importance.Scores.Length);
            Assert.All(importance.Scores, s => Assert.True(double.IsFinite(s), criterion.Name));
            Assert.Equal(12, importance.Kept(12).Length);
        }
    }

    internal static IFilterImportance[] AllCriteria() =>
    [
        new SimilarityImportance(), new SimilarityImportance(Representation.Flatten), new NystromImportance(),
        new OpNormImportance(), new L1Importance(), new L2Importance(), new FpgmImportance(), new GeometricMeanImportance(),
        new RandomImportance(1),
    ];

    private static void AssertClose(double[] expected, double[] actual, double tolerance = 1e-9)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"element {i}: expected {expected[i]}, got {actual[i]}");
    }
}
