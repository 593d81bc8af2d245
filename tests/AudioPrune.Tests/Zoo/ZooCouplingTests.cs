using System.Text.Json;
using AudioPrune.Graph;
using AudioPrune.Graph.Nodes;
using AudioPrune.Interop;
using AudioPrune.Interop.Onnx;
using AudioPrune.Pruning.Dependency;
using AudioPrune.Pruning.Planning;
using AudioPrune.Reports;
using AudioPrune.Tests.Interop;
using AudioPrune.Tests.Pruning.Groups;
using AudioPrune.Zoo;

namespace AudioPrune.Tests.ZooNetworks;

/// <summary>
/// The zoo's networks with channel couplings: EfficientAT's MobileNetV3 (mn04, mn05, mn10, mn40) and CP-ResNet.
/// Their tensors are the PyTorch state_dicts that make_zoo_fixtures.py writes (checked against the reference
/// repositories' own modules); they prune as channel groups, and the pruned networks run.
/// </summary>
[Collection(TorchSerialCollection.Name)]
public sealed class ZooCouplingTests
{
    private sealed record FixtureNetwork(int[] Input, int[] Output, long Trainable, long Total, JsonElement[][] StateDict);

    private static readonly Lazy<Dictionary<string, FixtureNetwork>> Fixture = new(() =>
    {
        using var json = JsonDocument.Parse(File.ReadAllText(RepositoryFiles.Path("tests/AudioPrune.Tests/Zoo/zoo_state_dicts.json")));
        var options = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
        return json.RootElement.GetProperty("networks").EnumerateObject()
            .ToDictionary(n => n.Name, n => n.Value.Deserialize<FixtureNetwork>(options)!);
    });

    /// <summary>Small inputs, so the float64 reference stays fast: 1 x 32 x 32 is reduced to 1 x 1 by both networks.</summary>
    private static readonly Shape Small = new(1, 32, 32);

    [Theory]
    [InlineData("mn04")]
    [InlineData("mn05")]
    [InlineData("mn10")]
    [InlineData("mn40")]
    [InlineData("cpresnet")]
    public void TheGraphHoldsThePyTorchStateDict(string name)
    {
        var expected = Fixture.Value[name];
        var graph = ModelZoo.Create(name).Graph;
        Assert.Equal(expected.Input, graph.Input.ToArray());
        Assert.Equal(expected.Output, graph.OutputShape.ToArray());
        var names = expected.StateDict.Select(e => e[0].GetString()!).ToArray();
        var shapes = expected.StateDict.Select(e => string.Join('x', e[1].EnumerateArray().Select(d => d.GetInt32()))).ToArray();
        var tensors = graph.ParameterTensors.ToArray();
        Assert.Equal(names, tensors.Select(t => t.Name).ToArray());
        Assert.Equal(shapes, tensors.Select(t => string.Join('x', t.Spec.Shape)).ToArray());
        var report = ComplexityReport.Of(graph);
        Assert.Equal(expected.Trainable, report.ParamsTrainable);
        Assert.Equal(expected.Total, report.ParamsTotal);
    }

    [Theory]
    [InlineData("mn10", 4_876_831, 541_078_208)]   // EfficientAT's table: mn10 4.88 M parameters, 0.54 G MACs
    [InlineData("cpresnet", 3_956_628, 8_644_704_384)]
    public void ParametersAndMacsAreMeasuredFromTheGraph(string name, long trainable, long macs)
    {
        var report = ComplexityReport.Of(ModelZoo.Create(name).Graph);
        Assert.Equal(trainable, report.ParamsTrainable);
        Assert.Equal(macs, report.Macs);
    }

    [Fact]
    public void ResidualStreamsDepthwiseConvsAndGatesAreGroups()
    {
        var mobile = ChannelDependency.Analyse(ModelZoo.Create("mn10").Graph);
        var stream = mobile.Containing("features.5.add").Single();
        Assert.Equal(["features.4.block.3.0", "features.5.block.3.0", "features.6.block.3.0"], mobile.SourceConvs(stream).Select(c => c.Name).ToArray());
        var excited = mobile.Containing("features.5.block.2").Single();
        Assert.Equal(["features.5.block.0.0", "features.5.block.1.0"], mobile.SourceConvs(excited).Select(c => c.Name).ToArray());
        Assert.Contains("features.5.block.2.conc_se_layers.0.fc2", excited.Nodes);
        Assert.All(mobile.ConvGroups, g => Assert.True(g.Prunable, g.Name));
        var residual = ChannelDependency.Analyse(ModelZoo.Create("cpresnet").Graph);
        var stage2 = residual.Containing("stage2.block4.add").Single();
        Assert.Contains("stage2.block1.shortcut.conv", residual.SourceConvs(stage2).Select(c => c.Name));
        Assert.Equal(5, residual.SourceConvs(stage2).Count);
    }

    [Theory]
    [InlineData("mn10", "similarity")]
    [InlineData("mn10", "l1")]
    [InlineData("cpresnet", "similarity")]
    [InlineData("cpresnet", "l1")]
    public void EveryPrunableGroupIsPrunedAndThePrunedNetworkIsTheMaskedOriginal(string name, string method)
    {
        var (graph, weights) = SmallModel(name, classes: 5);
        var groups = ChannelDependency.Analyse(graph);
        var result = Prune(graph, weights, method);
        var prunable = groups.ConvGroups.Where(g => g.Prunable).Select(g => g.Name).Order().ToArray();
        Assert.Equal(prunable, result.Plan.Layers.Select(l => l.Name).Order().ToArray());
        Assert.All(result.Plan.Layers, l => Assert.True(l.Kept.Length < l.Filters, $"{l.Name} kept all {l.Filters}"));
        Assert.Equal(new Shape(5), result.Graph.OutputShape);
        Assert.True(ComplexityReport.Of(result.Graph).Macs < ComplexityReport.Of(graph).Macs);
        var input = Enumerable.Range(0, (int)Small.Elements).Select(i => Math.Sin(i * 0.37)).ToArray();
        var expected = MaskedForward.Run(graph, weights, input, GroupSurgeryTests.Masks(groups, result.Plan.Layers));
        var actual = MaskedForward.Run(result.Graph, result.Weights, input);
        InteropFixtures.AssertClose(expected.Select(v => (float)v).ToArray(), actual.Select(v => (float)v).ToArray(), 1e-6);
    }

    [Theory]
    [InlineData("mn05")]
    [InlineData("cpresnet")]
    public void APrunedZooNetworkRunsInTorchSharpAndOnnxAsInTheReference(string name)
    {
        var (graph, weights) = SmallModel(name, classes: 4);
        var model = ModelArtifact.Create(graph, weights);
        var pruned = PrunedModel.Create(model, Prune(graph, weights, "l1"));
        var batch = Enumerable.Range(0, 2 * (int)Small.Elements).Select(i => (float)Math.Cos(i * 0.11)).ToArray();
        var reference = MaskedForward.Run(pruned.Graph, pruned.Weights, batch.Take((int)Small.Elements).Select(v => (double)v).ToArray());
        var torch = InteropFixtures.TorchOutput(pruned, batch, 2);
        InteropFixtures.AssertClose(reference.Select(v => (float)v).ToArray(), torch[..4], 1e-5);
        using var dir = new TempDirectory();
        var path = dir.File("pruned.onnx");
        OnnxExporter.Write(pruned, path, new OnnxExportOptions(ConvolutionLayout: ConvolutionLayout.Plain));
        using var runner = new OnnxModelRunner(path);
        InteropFixtures.AssertClose(torch, runner.Run(batch, 2), 1e-5);
    }

    [Fact]
    public void AGateIsAVectorOrAMapOfOnesPerChannel()
    {
        var mul = new MulNode { Name = "gate", Inputs = ["a", "b"] };
        Assert.Equal(new Shape(8, 4, 6), mul.InferShape([new Shape(8, 4, 6), new Shape(8)]));
        Assert.Equal(new Shape(8, 4, 6), mul.InferShape([new Shape(8, 1, 1), new Shape(8, 4, 6)]));
        Assert.Throws<GraphException>(() => mul.InferShape([new Shape(8, 4, 6), new Shape(4)]));
        Assert.Throws<GraphException>(() => mul.InferShape([new Shape(8, 4, 6), new Shape(8, 4)]));
        Assert.Throws<GraphException>(() => mul.InferShape([new Shape(8), new Shape(3)]));
    }

    private static (NetworkGraph Graph, WeightMap Weights) SmallModel(string name, int classes)
    {
        var graph = ModelZoo.Create(name, classes, Small).Graph;
        return (graph, WeightInitializer.Initialize(graph, 11));
    }

    private static PruningResult Prune(NetworkGraph graph, WeightMap weights, string method) =>
        PruningPlanner.Run(graph, weights, new PruningRequest
        {
            Method = method,
            Ratio = method == "similarity" ? null : 0.3,
            Criterion = new CriterionOptions { Seed = 3 },
        });
}
