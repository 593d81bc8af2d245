using AudioPrune.Graph;
using AudioPrune.Pruning.Planning;
using Onnx;

namespace AudioPrune.Tests.Api;

/// <summary>The public API does what the command line does, takes a caller's criterion, and names parameters in its errors.</summary>
public sealed class LibraryApiTests
{
    [Fact]
    public void Three_lines_prune_a_zoo_model_as_the_planner_does()
    {
        using var temp = new TempDirectory();
        var model = AudioPruneModel.Load("dcase21");
        var result = model.Prune(Criteria.Similarity(), Target.Own);
        result.Save(temp.File("pruned.safetensors"), temp.File("plan.json"));

        var source = ModelArtifact.Create(model.Artifact.Graph, model.Artifact.Weights);
        var reference = PruningPlanner.Run(source.Graph, source.Weights, new PruningRequest { Method = "similarity" }).Plan;
        Assert.Equal(reference.Layers.Select(l => l.Kept), result.Plan.Layers.Select(l => l.Kept.ToArray()));
        var saved = AudioPruneModel.Load(temp.File("pruned.safetensors"));
        Assert.Equal(result.Plan.After.Macs, saved.Complexity.Macs);
        Assert.True(saved.Complexity.Macs < model.Complexity.Macs);
        Assert.Equal(reference.Layers.Select(l => l.Kept), PrunePlan.Load(temp.File("plan.json")).Layers.Select(l => l.Kept.ToArray()));
        Assert.Equal(model.Labels, saved.Labels);
    }

    [Fact]
    public void A_callers_criterion_decides_which_filters_are_kept()
    {
        var model = AudioPruneModel.Load("dcase21", new LoadOptions { Seed = 4 });
        var result = model.Prune(new LargestWeight(), Target.Ratio(0.5), new PruneOptions { Layers = ["conv2"] });

        // Independently: conv2's 16 filters ranked by their largest absolute weight, the top 8 kept.
        var weight = model.Artifact.Weights["conv2.weight"];
        var length = (int)(weight.Elements / weight.Shape[0]);
        var expected = Enumerable.Range(0, weight.Shape[0])
            .OrderByDescending(f => weight.Data.AsSpan(f * length, length).ToArray().Max(Math.Abs)).Take(weight.Shape[0] / 2).Order();
        var layer = Assert.Single(result.Plan.Layers);
        Assert.Equal("conv2", layer.Name);
        Assert.Equal(expected, layer.Kept);
        Assert.Equal("max-abs", result.Plan.Criterion);
    }

    [Fact]
    public void A_criterion_that_scores_the_wrong_filters_is_refused_by_name()
    {
        var model = AudioPruneModel.Load("dcase21");
        var e = Assert.Throws<UserInputException>(() => model.Prune(new ScoresOneFilter(), Target.Keep(4)));
        Assert.Equal("criterion 'one-score' returned 1 scores for layer 'conv1', which has 16 filters", e.Message);
    }

    [Fact]
    public void Errors_name_the_library_parameter_not_a_flag()
    {
        var model = AudioPruneModel.Load("dcase21");
        var e = Assert.Throws<UserInputException>(() => model.Prune(Criteria.L1(), Target.Ratio(1.5)));
        Assert.Equal("Ratio", e.Parameter);
        Assert.StartsWith("ratio 1.5 must be in [0, 1)", e.Message);
        Assert.DoesNotContain("--", e.Message);

        var rounding = Assert.Throws<UserInputException>(() => model.Prune(Criteria.L1(), Target.Ratio(0.5), new PruneOptions { RoundTo = 0 }));
        Assert.Equal("round to must be at least 1, got 0", rounding.Message);
    }

    [Fact]
    public void Score_criteria_need_a_count_and_say_so()
    {
        var e = Assert.Throws<UserInputException>(() => AudioPruneModel.Load("dcase21").Prune(Criteria.L2(), Target.Own));
        Assert.Contains("'l2' ranks filters but has no count of its own", e.Message);
    }

    [Fact]
    public void Onnx_export_writes_one_conv_per_conv_layer_unless_tuned()
    {
        using var temp = new TempDirectory();
        var model = AudioPruneModel.Load("dcase21").Prune(Criteria.L1(), Target.Keep(11, 11, 22)).Model;
        model.ExportOnnx(temp.File("plain.onnx"));
        var plain = ModelProto.Parser.ParseFrom(File.ReadAllBytes(temp.File("plain.onnx")));
        var convLayers = model.Artifact.Graph.ConvLayers;
        Assert.Equal(convLayers.Count, plain.Graph.Node.Count(n => n.OpType == "Conv"));
        var filters = plain.Graph.Node.Where(n => n.OpType == "Conv")
            .Select(n => plain.Graph.Initializer.Single(t => t.Name == n.Input[1]).Dims[0]);
        Assert.Equal(convLayers.Select(c => (long)c.OutChannels), filters);
    }

    [Fact]
    public void Plans_transfer_their_counts_and_their_filters()
    {
        var model = AudioPruneModel.Load("dcase21", new LoadOptions { Seed = 2 });
        var similarity = model.Prune(Criteria.Similarity(), Target.Own).Plan;
        var l1 = model.Prune(Criteria.L1(), Target.SameCountsAs(similarity)).Plan;
        Assert.Equal(similarity.Layers.Select(l => l.Kept.Count), l1.Layers.Select(l => l.Kept.Count));
        var again = model.Prune(Criteria.L2(), Target.SameFiltersAs(l1)).Plan;
        Assert.Equal(l1.Layers.Select(l => l.Kept), again.Layers.Select(l => l.Kept), new KeptComparer());
        Assert.Equal("l1", again.Criterion);
    }

    [Fact]
    public void Criteria_by_name_match_the_command_lines()
    {
        Assert.Equal(CriterionCatalog.Names, Criteria.Names);
        Assert.All(Criteria.Names, name => Assert.Equal(name, Criteria.Named(name).Name));
        Assert.Throws<UserInputException>(() => Criteria.Named("cosine"));
        var landmarks = Assert.Throws<UserInputException>(() => Criteria.Nystrom(landmarks: 0));
        Assert.Equal("Landmarks", landmarks.Parameter);
    }

    private sealed class LargestWeight : IFilterImportance
    {
        public string Name => "max-abs";

        public LayerImportance Score(FilterBank filters)
        {
            var scores = new double[filters.Filters];
            for (var f = 0; f < filters.Filters; f++)
                foreach (var w in filters.Filter(f)) scores[f] = Math.Max(scores[f], Math.Abs(w));
            return new LayerImportance(filters.Layer, scores);
        }
    }

    private sealed class ScoresOneFilter : IFilterImportance
    {
        public string Name => "one-score";

        public LayerImportance Score(FilterBank filters) => new(filters.Layer, [1.0]);
    }

    private sealed class KeptComparer : IEqualityComparer<IReadOnlyList<int>>
    {
        public bool Equals(IReadOnlyList<int>? x, IReadOnlyList<int>? y) => x!.SequenceEqual(y!);

        public int GetHashCode(IReadOnlyList<int> obj) => obj.Count;
    }
}
