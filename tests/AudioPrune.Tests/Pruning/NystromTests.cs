using AudioPrune.Pruning;
using AudioPrune.Pruning.Criteria;
using AudioPrune.Pruning.Numerics;

namespace AudioPrune.Tests.Pruning;

/// <summary>rank(S) is at most the prototype dimension d, so m &gt;= d independent landmarks reproduce S exactly.</summary>
public sealed class NystromTests
{
    [Theory]
    [InlineData(LandmarkChoice.First, null)]
    [InlineData(LandmarkChoice.First, 12)]
    [InlineData(LandmarkChoice.Random, 9)]
    [InlineData(LandmarkChoice.Farthest, 9)]
    public void Enough_landmarks_give_the_exact_kept_sets_with_rank1(LandmarkChoice choice, int? landmarks)
    {
        foreach (var (filters, channels, seed) in new[] { (64, 1, 1), (128, 16, 2), (40, 64, 3) })
        {
            var bank = Banks.Random(filters, channels, 3, 3, seed);
            var exact = new SimilarityImportance().Score(bank);
            var approximate = new NystromImportance(landmarks: landmarks, choice: choice, seed: seed, computeError: true).Score(bank);
            Assert.Equal(exact.Kept(null), approximate.Kept(null));
            Assert.Equal(exact.Kept(filters / 4), approximate.Kept(filters / 4));
            Assert.Equal(exact.Similarity!.NearestNeighbour, approximate.Similarity!.NearestNeighbour);
            Assert.True(approximate.Similarity.Nystrom!.SpectralError < 1e-9, $"error {approximate.Similarity.Nystrom.SpectralError}");
        }
    }

    [Fact]
    public void Enough_landmarks_give_the_exact_kept_sets_with_flatten()
    {
        var bank = Banks.Random(48, 2, 3, 3, seed: 4); // d = 18
        var exact = new SimilarityImportance(Representation.Flatten).Score(bank);
        var approximate = new NystromImportance(Representation.Flatten, landmarks: 18, computeError: true).Score(bank);
        Assert.Equal(exact.Kept(null), approximate.Kept(null));
        Assert.Equal(18, approximate.Similarity!.Nystrom!.Landmarks);
        Assert.True(approximate.Similarity.Nystrom.SpectralError < 1e-9);
    }

    [Fact]
    public void Auto_landmarks_is_the_prototype_dimension_capped_at_the_filter_count()
    {
        Assert.Equal(9, new NystromImportance().Score(Banks.Random(30, 4, 3, 3, seed: 5)).Similarity!.Nystrom!.Landmarks);
        Assert.Equal(6, new NystromImportance().Score(Banks.Random(6, 4, 3, 3, seed: 5)).Similarity!.Nystrom!.Landmarks);
    }

    [Fact]
    public void Too_few_landmarks_or_a_low_rank_leave_a_reported_error()
    {
        var bank = Banks.Random(64, 8, 3, 3, seed: 6);
        var few = new NystromImportance(landmarks: 4, computeError: true).Score(bank).Similarity!.Nystrom!;
        Assert.Equal(4, few.Landmarks);
        Assert.True(few.SpectralError > 1e-3);
        var lowRank = new NystromImportance(landmarks: 9, rank: 3, computeError: true).Score(bank).Similarity!.Nystrom!;
        Assert.Equal(3, lowRank.Rank);
        Assert.True(lowRank.SpectralError > few.SpectralError * 0.1);
        Assert.Null(new NystromImportance(landmarks: 4).Score(bank).Similarity!.Nystrom!.SpectralError);
    }

    [Fact]
    public void Random_landmarks_are_seeded()
    {
        var bank = Banks.Random(50, 3, 3, 3, seed: 7);
        var a = new NystromImportance(landmarks: 5, choice: LandmarkChoice.Random, seed: 1).Score(bank).Similarity!.Nystrom!.LandmarkFilters;
        Assert.Equal(a, new NystromImportance(landmarks: 5, choice: LandmarkChoice.Random, seed: 1).Score(bank).Similarity!.Nystrom!.LandmarkFilters);
        Assert.NotEqual(a, new NystromImportance(landmarks: 5, choice: LandmarkChoice.Random, seed: 2).Score(bank).Similarity!.Nystrom!.LandmarkFilters);
    }

    [Fact]
    public void Farthest_point_landmarks_start_at_filter_zero_and_spread_out()
    {
        // Filters 0..3 point one way, 4 the opposite way: the second landmark is 4.
        var bank = Banks.Rows([1, 0], [1, 0.01], [1, 0.02], [1, -0.01], [-1, 0]);
        var chosen = new NystromImportance(landmarks: 2, choice: LandmarkChoice.Farthest, computeError: false).Score(bank).Similarity!.Nystrom!.LandmarkFilters;
        Assert.Equal([0, 4], chosen);
    }
}
