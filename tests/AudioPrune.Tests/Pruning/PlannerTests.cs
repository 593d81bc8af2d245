using AudioPrune.Common;
using AudioPrune.Graph;
using AudioPrune.Pruning;
using AudioPrune.Pruning.Planning;
using AudioPrune.Zoo;

namespace AudioPrune.Tests.Pruning;

/// <summary>Layer selection, kept counts, plan records and re-applying plans, on DCASE21_Net with seeded weights.</summary>
public sealed class PlannerTests
{
    private static readonly NetworkGraph Dcase = ModelZoo.Create("dcase21").Graph;
    private static readonly WeightMap Weights = WeightInitializer.Initialize(Dcase, 3);

    [Theory]
    [InlineData(null, new[] { "conv1", "conv2", "conv3" })]
    [InlineData("conv2", new[] { "conv2" })]
    [InlineData("0,2", new[] { "conv1", "conv3" })]
    [InlineData("conv*", new[] { "conv1", "conv2", "conv3" })]
    [InlineData("conv3, 0", new[] { "conv1", "conv3" })]
    public void Layers_are_chosen_by_name_index_or_glob_in_network_order(string? spec, string[] expected) =>
        Assert.Equal(expected, LayerSelector.Select(Dcase, spec).Select(c => c.Name));

    [Theory]
    [InlineData("conv9", "'conv9' does not exist")]
    [InlineData("fc1", "'fc1' is a linear layer")]
    [InlineData("5", "layer index 5")]
    [InlineData("dense*", "'dense*' matches no conv layer")]
    public void Bad_layer_choices_are_refused_by_name(string spec, string message) =>
        Assert.Contains(message, Assert.Throws<UserInputException>(() => LayerSelector.Select(Dcase, spec)).Message);

    [Fact]
    public void A_ratio_keeps_the_ceiling_of_the_remaining_fraction()
    {
        var plan = Run(new PruningRequest { Method = "l1", Ratio = 0.7 }).Plan;
        // ceil(0.3 * 16) = 5, ceil(0.3 * 32) = 10.
        Assert.Equal([5, 5, 10], plan.Layers.Select(l => l.KeptCount));
        var exact = Run(new PruningRequest { Method = "l2", Ratio = 0.75 }).Plan;
        Assert.Equal([4, 4, 8], exact.Layers.Select(l => l.KeptCount));
        // (1 - 0.7) * 10 is 3.0000000000000004 in floating point: still 3 kept, not 4.
        var ten = new SequentialBuilder("ten", new Shape(1, 4, 4)).Conv("c", 10, 3).Flatten("f").Linear("fc", 2).Build();
        var tenPlan = PruningPlanner.Run(ten, WeightInitializer.Initialize(ten, 0), new PruningRequest { Method = "l1", Ratio = 0.7 }).Plan;
        Assert.Equal(3, Assert.Single(tenPlan.Layers).KeptCount);
    }

    [Fact]
    public void A_count_that_would_reach_zero_keeps_one_filter_and_says_so()
    {
        var plan = Run(new PruningRequest { Method = "l1", Layers = "conv1", Ratio = 0.999999999999 }).Plan;
        var layer = Assert.Single(plan.Layers);
        Assert.Equal(1, layer.KeptCount);
        Assert.Contains(layer.Notes!, n => n.Contains("one is kept"));
    }

    [Fact]
    public void Similarity_uses_its_own_count_and_a_ratio_through_repeated_passes()
    {
        var own = Run(new PruningRequest { Method = "similarity" }).Plan;
        Assert.All(own.Layers, l => Assert.InRange(l.KeptCount, (l.Filters + 1) / 2, l.Filters));
        var ratio = Run(new PruningRequest { Method = "similarity", Ratio = 0.75 }).Plan;
        Assert.Equal([4, 4, 8], ratio.Layers.Select(l => l.KeptCount));
        Assert.All(ratio.Layers, l => Assert.NotNull(l.ClosestPairHistogram));
        Assert.Equal(16, ratio.Layers[0].ClosestPairHistogram!.Counts.Sum());
    }

    [Fact]
    public void Score_criteria_without_a_count_are_refused()
    {
        var e = Assert.Throws<UserInputException>(() => Run(new PruningRequest { Method = "l1" }));
        Assert.Equal("method 'l1' ranks filters but has no count of its own: give ratio, keep or match plan", e.Message);
        Assert.Equal("Ratio", e.Parameter);
        Assert.Equal("method 'l1' ranks filters but has no count of its own: give --ratio, --keep or --match-plan",
            e.MessageNaming(AudioPrune.Cli.ParameterFlags.Flag));
    }

    [Fact]
    public void Keep_counts_are_per_layer_or_one_for_all_and_checked_against_the_width()
    {
        Assert.Equal([3, 5, 7], Run(new PruningRequest { Method = "fpgm", Keep = [3, 5, 7] }).Plan.Layers.Select(l => l.KeptCount));
        Assert.Equal([6, 6, 6], Run(new PruningRequest { Method = "gm", Keep = [6] }).Plan.Layers.Select(l => l.KeptCount));
        Assert.Contains("'conv2'", Assert.Throws<UserInputException>(() => Run(new PruningRequest { Method = "l1", Keep = [3, 17, 7] })).Message);
        Assert.Contains("'conv1'", Assert.Throws<UserInputException>(() => Run(new PruningRequest { Method = "l1", Keep = [0, 3, 7] })).Message);
        Assert.Throws<UserInputException>(() => Run(new PruningRequest { Method = "l1", Keep = [3, 3] }));
    }

    [Fact]
    public void Round_to_rounds_kept_counts_up_to_a_multiple_within_the_width()
    {
        var plan = Run(new PruningRequest { Method = "opnorm", Ratio = 0.7, RoundTo = 8 }).Plan;
        Assert.Equal([8, 8, 16], plan.Layers.Select(l => l.KeptCount));
        var similarity = Run(new PruningRequest { Method = "similarity", RoundTo = 8 }).Plan;
        Assert.All(similarity.Layers, l => Assert.Equal(0, l.KeptCount % 8));
    }

    [Fact]
    public void Match_plan_copies_the_counts_for_equal_count_comparisons()
    {
        var similarity = Run(new PruningRequest { Method = "similarity", Layers = "conv1,conv3" }).Plan;
        var l1 = Run(new PruningRequest { Method = "l1", MatchPlan = similarity }).Plan;
        Assert.Equal(similarity.Layers.Select(l => (l.Name, l.KeptCount)), l1.Layers.Select(l => (l.Name, l.KeptCount)));
    }

    [Fact]
    public void A_plan_reapplied_gives_the_same_network_and_a_plan_of_another_network_is_refused()
    {
        var first = Run(new PruningRequest { Method = "similarity", Ratio = 0.5 });
        var again = Run(new PruningRequest { PlanIn = first.Plan });
        Assert.Equal(GraphJson.Serialize(first.Graph), GraphJson.Serialize(again.Graph));
        Assert.Equal(first.Weights["conv2.weight"].Data, again.Weights["conv2.weight"].Data);

        var other = ModelZoo.Create("dcase21", input: new Shape(1, 40, 600)).Graph;
        var e = Assert.Throws<UserInputException>(() => PruningPlanner.Run(other, WeightInitializer.Initialize(other, 3), new PruningRequest { PlanIn = first.Plan }));
        Assert.Contains("fingerprint", e.Message);
    }

    [Fact]
    public void The_plan_file_round_trips_and_records_what_the_report_needs()
    {
        using var temp = new TempDirectory();
        var path = temp.File("plan.json");
        var result = Run(new PruningRequest { Method = "nystrom", Criterion = new CriterionOptions { NystromError = true }, IncludeDistances = true });
        PlanFile.Write(path, result.Plan);
        var read = PlanFile.Read(path);
        Assert.Equal(result.Plan.Fingerprint, read.Fingerprint);
        var layer = read.Layers[1];
        Assert.Equal("conv2", layer.Name);
        Assert.Equal(1, layer.Index);
        Assert.Equal(result.Plan.Layers[1].Kept, layer.Kept);
        Assert.Equal(16, layer.Scores!.Length);
        Assert.Equal(16, layer.NearestNeighbour!.Length);
        Assert.Equal(16, layer.Distances!.Length);
        Assert.Equal(16, layer.Nystrom!.M); // auto: min(n = 16, d = 49)
        Assert.NotNull(layer.Nystrom.Error);
        Assert.True(read.After.Macs < read.Before.Macs);
        Assert.Equal(ComplexityReport.Of(Dcase).Macs, read.Before.Macs);
    }

    [Fact]
    public void Non_finite_weights_are_refused_before_any_work_naming_the_layer()
    {
        var weights = Weights.Clone();
        weights["conv3.weight"].Data[5] = float.PositiveInfinity;
        var e = Assert.Throws<UserInputException>(() => PruningPlanner.Run(Dcase, weights, new PruningRequest { Method = "l1", Ratio = 0.5 }));
        Assert.Contains("'conv3'", e.Message);
    }

    [Theory]
    [MemberData(nameof(Criteria))]
    public void The_untimed_warm_up_leaves_every_criterions_kept_sets_as_scoring_alone_gives_them(string method)
    {
        var request = new PruningRequest { Method = method, Criterion = new CriterionOptions { Landmarks = 64, Seed = 5 } };
        var criterion = CriterionCatalog.Create(method, request.Criterion);
        var own = criterion.SelectsOwnCount() ? request : request with { Ratio = 0.5 };
        // Three filters: fewer than the warm-up's stand-in takes, and fewer than the 64 landmarks asked for.
        var narrow = new SequentialBuilder("narrow", new Shape(2, 8, 8)).Conv("a", 3, 3).Conv("b", 40, 3).Flatten("f").Linear("fc", 2).Build();
        var weights = WeightInitializer.Initialize(narrow, 1);
        var plan = PruningPlanner.Run(narrow, weights, own).Plan;
        foreach (var (layer, index) in plan.Layers.Select((l, i) => (l, i)))
        {
            var alone = criterion.Score(new FilterBank(layer.Name, weights[$"{layer.Name}.weight"], index));
            Assert.Equal(alone.Kept(criterion.SelectsOwnCount() ? null : layer.KeptCount), layer.Kept);
        }
    }

    public static TheoryData<string> Criteria() => new(CriterionCatalog.Names);

    private static PruningResult Run(PruningRequest request) => PruningPlanner.Run(Dcase, Weights, request);
}
