using AudioPrune.Inference;
using AudioPrune.Benchmarking;
using AudioPrune.Common;
using AudioPrune.Graph;
using AudioPrune.Interop.Onnx;
using AudioPrune.Tests.Interop;

namespace AudioPrune.Tests.Benchmarking;

/// <summary>The per-stage time breakdown: stages of a graph, runtime nodes mapped to them, a real ONNX Runtime profile.</summary>
public sealed class LayerProfileTests
{
    private static readonly NetworkGraph Graph = InteropFixtures.PrunedDcase21();

    [Fact]
    public void A_stage_starts_at_each_layer_with_multiply_adds_and_holds_the_layers_after_it()
    {
        var stages = GraphStages.Of(Graph);
        Assert.Equal(["conv1", "conv2", "conv3", "fc1", "fc2"], stages.Names);
        Assert.Equal("conv1", stages.OfLayer("relu1"));
        Assert.Equal("conv2", stages.OfLayer("pool1"));
        Assert.Equal("conv3", stages.OfLayer("flatten"));
        Assert.Equal("fc2", stages.OfLayer("softmax"));
        Assert.Equal(["conv2", "bn2", "relu2", "pool1", "dropout1"], stages.LayersOf("conv2"));
        Assert.Equal(11L * 11 * 49 * 40 * 500, stages.MacsOf("conv2"));
    }

    [Theory]
    [InlineData("relu1_nchwc", "relu1")]
    [InlineData("bn2_activated_nchwc", "bn2")]
    [InlineData("bn2_rows", "bn2")]
    [InlineData("fused fc1", "fc1")]
    [InlineData("pool1", "pool1")]
    [InlineData("ReorderOutput_token_8", null)]
    [InlineData("conv1x", null)]
    public void Runtime_nodes_are_traced_back_to_the_layer_they_were_written_for(string runtimeNode, string? layer) =>
        Assert.Equal(layer, GraphStages.Of(Graph).LayerOf(runtimeNode));

    [Fact]
    public void Warm_up_runs_are_left_out_and_a_node_the_runtime_added_joins_the_stage_before_it()
    {
        NodeRuns Node(string name, params double[] ms) => new(name, "Op", ms);
        var nodes = new[]
        {
            Node("relu1_nchwc", 9, 1, 2, 3),
            Node("ReorderOutput", 9, 0.5, 0.5, 0.5),
            Node("bn2_activated_nchwc", 9, 4, 5, 6),
            Node("ReorderOutput_token_9", 9, 0.25, 0.25, 0.25),
            Node("fused fc1", 9, 0.1, 0.1, 0.1),
        };
        var profile = LayerProfile.From(nodes, warmup: 1, Graph, node => 2 * ComplexityReport.Of(Graph).Layers.Single(l => l.Name == node.Name).Macs);

        Assert.Equal(3, profile.Runs);
        Assert.Equal(["conv1", "conv1", "conv2", "conv2", "fc1"], profile.Nodes.Select(n => n.Stage));
        var byStage = profile.Stages.ToDictionary(s => s.Stage);
        Assert.Equal(2.5, byStage["conv1"].MedianMs, 12);
        Assert.Equal(5.25, byStage["conv2"].MedianMs, 12);
        Assert.Equal(0, byStage["conv3"].MedianMs);
        Assert.Equal(ComplexityReport.Of(Graph).Macs, profile.Stages.Sum(s => s.Macs));
        Assert.Equal(2 * ComplexityReport.Of(Graph).Macs, profile.Stages.Sum(s => s.ExecutedMacs));
        Assert.Equal(7.85, profile.KernelMs, 12);
    }

    [Fact]
    public void The_onnx_engine_profiles_every_stage_in_a_separate_session_and_leaves_no_trace_file()
    {
        var model = InteropFixtures.WithWeights(Graph);
        using var engine = new OnnxInferenceEngine(model, threads: 1, ConvolutionLayout.Blocked16);
        var input = InteropFixtures.RandomInput((int)Graph.Input.Elements, seed: 1);
        var expected = engine.Run(input, 1);
        static int TracesInWorkingFolder() => Directory.EnumerateFiles(Directory.GetCurrentDirectory(), "onnxruntime_profile_*").Count();
        var tracesBefore = TracesInWorkingFolder();

        var profile = OnnxLayerProfiler.Profile(engine, input, batch: 1, warmup: 1, runs: 3);

        Assert.Equal(3, profile.Runs);
        Assert.Equal(GraphStages.Of(Graph).Names, profile.Stages.Select(s => s.Stage));
        Assert.All(profile.Stages.Take(3), s => Assert.True(s.MedianMs > 0, $"{s.Stage} took no time"));
        Assert.Equal(ComplexityReport.Of(Graph).Macs, profile.Stages.Sum(s => s.Macs));
        Assert.Equal(engine.ExecutedMacs, profile.Stages.Sum(s => s.ExecutedMacs));
        Assert.Contains(profile.Nodes, n => n.Op == "Conv" && n.Stage == "conv2");
        Assert.Equal(expected, engine.Run(input, 1));
        Assert.Empty(Directory.EnumerateFiles(Path.GetTempPath(), $"audioprune-profile-{Environment.ProcessId}-*"));
        Assert.Equal(tracesBefore, TracesInWorkingFolder());
    }

    [Fact]
    public void A_trace_without_node_timings_is_refused_naming_the_file()
    {
        using var dir = new TempDirectory();
        var path = dir.File("trace.json");
        File.WriteAllText(path, """[{"cat": "Session", "name": "model_loading_uri", "dur": 10}]""");
        var error = Assert.Throws<UserInputException>(() => OnnxRuntimeTrace.Read(path));
        Assert.Contains("trace.json", error.Message);
    }
}
