using AudioPrune.Data;

namespace AudioPrune.Tests.Data;

public sealed class SplitPlannerTests
{
    private static DatasetDescription Synthetic(int classes, int perClass, int groupSize, bool withFolds = false)
    {
        var entries = new List<DatasetEntry>();
        for (var c = 0; c < classes; c++)
            for (var i = 0; i < perClass; i++)
                entries.Add(new DatasetEntry($"c{c}/{i}.wav", $"/x/c{c}/{i}.wav", $"class{c}",
                    Fold: withFolds ? 1 + i % 5 : null, Group: groupSize > 1 ? $"c{c}-g{i / groupSize}" : null));
        return new DatasetDescription("test", "/x", entries);
    }

    [Fact]
    public void Random_split_is_seeded_stratified_and_never_splits_a_group()
    {
        var d = Synthetic(classes: 4, perClass: 60, groupSize: 3);
        var plan = SplitPlanner.Plan(d, new SplitOptions { Seed = 7 });
        var sides = new[] { plan.Train, plan.Validation, plan.Test };
        Assert.Equal(240, sides.Sum(s => s.Count));
        var groupsPerSide = sides.Select(s => s.Select(e => e.GroupKey).ToHashSet()).ToArray();
        for (var a = 0; a < 3; a++)
            for (var b = a + 1; b < 3; b++)
                Assert.Empty(groupsPerSide[a].Intersect(groupsPerSide[b]));
        foreach (var label in d.ClassNames)
        {
            Assert.InRange(plan.Test.Count(e => e.Label == label), 6, 12);       // about 15 % of 60
            Assert.InRange(plan.Validation.Count(e => e.Label == label), 6, 12);
        }
        var again = SplitPlanner.Plan(d, new SplitOptions { Seed = 7 });
        Assert.Equal(plan.Test, again.Test);
        var other = SplitPlanner.Plan(d, new SplitOptions { Seed = 8 });
        Assert.NotEqual(plan.Test.Select(e => e.RelativePath), other.Test.Select(e => e.RelativePath));
    }

    [Fact]
    public void Folds_give_test_and_validation_folds()
    {
        var d = Synthetic(classes: 2, perClass: 20, groupSize: 1, withFolds: true);
        var plan = SplitPlanner.Plan(d, new SplitOptions());
        Assert.All(plan.Test, e => Assert.Equal(5, e.Fold));
        Assert.All(plan.Validation, e => Assert.Equal(4, e.Fold));
        var chosen = SplitPlanner.Plan(d, new SplitOptions { TestFold = 1, ValidationFold = 2 });
        Assert.All(chosen.Test, e => Assert.Equal(1, e.Fold));
        Assert.DoesNotContain(chosen.Train, e => e.Fold is 1 or 2);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Training_fraction_keeps_a_seeded_subset_of_train_only(bool stratified)
    {
        var d = Synthetic(classes: 3, perClass: 40, groupSize: 1);
        var full = SplitPlanner.Plan(d, new SplitOptions { Seed = 1 });
        var part = SplitPlanner.Plan(d, new SplitOptions { Seed = 1, TrainFraction = 0.75, StratifiedSubset = stratified });
        Assert.Equal(full.Test, part.Test);
        Assert.Equal(full.Validation, part.Validation);
        Assert.All(part.Train, e => Assert.Contains(e, full.Train));
        Assert.InRange(part.Train.Count, (int)(0.75 * full.Train.Count) - 3, (int)(0.75 * full.Train.Count) + 3);
        if (stratified)
            foreach (var label in d.ClassNames)
                Assert.Equal(Math.Round(0.75 * full.Train.Count(e => e.Label == label)), part.Train.Count(e => e.Label == label));
        Assert.Equal(part.Train, SplitPlanner.Plan(d, new SplitOptions { Seed = 1, TrainFraction = 0.75, StratifiedSubset = stratified }).Train);
    }

    [Fact]
    public void Own_split_without_validation_gets_a_grouped_validation_from_train()
    {
        var entries = Enumerable.Range(0, 40).Select(i => new DatasetEntry($"{i}.wav", $"/x/{i}.wav", i % 2 == 0 ? "a" : "b",
            Split: i < 30 ? SplitNames.Train : SplitNames.Test, Group: $"loc{i / 4}")).ToList();
        var plan = SplitPlanner.Plan(new DatasetDescription("t", "/x", entries), new SplitOptions());
        Assert.Equal(10, plan.Test.Count);
        Assert.NotEmpty(plan.Validation);
        Assert.Empty(plan.Train.Select(e => e.Group).Intersect(plan.Validation.Select(e => e.Group)));
        Assert.Contains("validation carved from training", plan.Method);
    }
}
