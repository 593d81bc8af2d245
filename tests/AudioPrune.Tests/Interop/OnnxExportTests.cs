using AudioPrune.Graph;
using AudioPrune.Graph.Nodes;
using AudioPrune.Interop;
using AudioPrune.Interop.Onnx;
using AudioPrune.Zoo;
using Xunit.Abstractions;

namespace AudioPrune.Tests.Interop;

[Collection(TorchSerialCollection.Name)]
[Trait("Category", "Slow")]
public sealed class OnnxExportTests(ITestOutputHelper log)
{
    public static TheoryData<string, string?> Networks => new()
    {
        { "dcase21", null }, { "vggish", "1x96x64" }, { "cnn14", "1x64x64" }, { "cnn10", "1x128x64" }, { "cnn6", "1x128x64" }, { "pruned", null },
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public void OnnxRuntimeMatchesTorchSharpAtBatchOneAndEightWithAndWithoutFolding(string network, string? input)
    {
        var graph = network == "pruned" ? InteropFixtures.PrunedDcase21() : ModelZoo.Create(network, input: input is null ? null : Shape.Parse(input)).Graph;
        // Logits, not probabilities: a saturated softmax would hide differences.
        var model = InteropFixtures.WithWeights(graph);
        var logits = model with { Graph = graph.WithoutProbabilityHead() };
        var batches = new[] { 1, 8 }.Select(n => (Size: n, Data: InteropFixtures.RandomInput(n * (int)graph.Input.Elements, seed: n))).ToArray();
        var expected = InteropFixtures.TorchOutputs(logits, batches.Select(b => (b.Data, b.Size)).ToArray());
        using var temp = new TempDirectory();

        foreach (var foldBn in new[] { false, true })
        {
            var path = temp.File($"model-{foldBn}.onnx");
            OnnxExporter.Write(model, path, new OnnxExportOptions(FoldBatchNorm: foldBn, IncludeProbabilityHead: false));

            using var runner = new OnnxModelRunner(path, threads: 2);
            Assert.Equal(graph.Input.Dims, runner.ExampleShape);
            for (var i = 0; i < batches.Length; i++)
            {
                var actual = runner.Run(batches[i].Data, batches[i].Size);
                InteropFixtures.AssertClose(expected[i], actual, 1e-4);
                log.WriteLine($"{network} fold={foldBn} batch {batches[i].Size}: max |onnx - torch| / max|torch| = {InteropFixtures.RelativeError(expected[i], actual):E2}");
            }
        }
    }

    [Theory]
    [InlineData("dcase21", "1x40x500")]
    [InlineData("cnn6", "1x64x64")]
    public void ProbabilityHeadsAreExportedToo(string network, string input)
    {
        var model = InteropFixtures.WithWeights(ModelZoo.Create(network, input: Shape.Parse(input)).Graph);
        using var temp = new TempDirectory();
        var path = temp.File("model.onnx");

        OnnxExporter.Write(model, path, new OnnxExportOptions(FoldBatchNorm: true));

        using var runner = new OnnxModelRunner(path);
        var batch = InteropFixtures.RandomInput(8 * (int)model.Graph.Input.Elements, seed: 9);
        var expected = InteropFixtures.TorchOutput(model, batch, 8);
        InteropFixtures.AssertClose(expected, runner.Run(batch, 8), 1e-4);
        Assert.Equal(model.Graph.ProbabilityHead == ActivationKind.Softmax ? "softmax" : "sigmoid", runner.Metadata["output_kind"]);
    }

    [Theory]
    [InlineData(13)]
    [InlineData(17)]
    [InlineData(18)]
    [InlineData(20)]
    public void EveryOpsetFormRunsTheSame(int opset)
    {
        // cnn6 exercises global pooling (axes moved to an input at opset 18); a Gelu variant checks both Gelu forms.
        var zoo = ModelZoo.Create("cnn6", input: new Shape(1, 64, 64)).Graph;
        var replacements = zoo.Nodes.OfType<ActivationNode>().Where(a => a.Kind == ActivationKind.Relu).Take(2)
            .ToDictionary(a => a.Name, a => (Node)(a with { Kind = ActivationKind.Gelu }));
        var model = InteropFixtures.WithWeights(zoo.WithNodes(replacements));
        using var temp = new TempDirectory();
        var path = temp.File("model.onnx");

        OnnxExporter.Write(model, path, new OnnxExportOptions(opset, IncludeProbabilityHead: false));

        using var runner = new OnnxModelRunner(path);
        var batch = InteropFixtures.RandomInput(2 * 64 * 64, seed: 5);
        var expected = InteropFixtures.TorchOutput(model with { Graph = model.Graph.WithoutProbabilityHead() }, batch, 2);
        InteropFixtures.AssertClose(expected, runner.Run(batch, 2), 1e-4);
    }

    [Fact]
    public void MetadataCarriesLabelsFrontEndAndOutputKind()
    {
        var model = ModelLoader.Load("dcase21");
        using var temp = new TempDirectory();
        var path = temp.File("dcase21.onnx");

        var result = CliRunner.Run("export", "dcase21", "--onnx", path, "--no-softmax", "--opset", "18");

        Assert.Equal(0, result.ExitCode);
        using var runner = new OnnxModelRunner(path);
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(model.Labels), runner.Metadata[OnnxExporter.LabelsKey]);
        Assert.Contains("dcase2021", runner.Metadata[ModelArtifact.FrontEndKey]);
        Assert.Equal("logits", runner.Metadata["output_kind"]);
        Assert.Equal(10, runner.OutputsPerExample);
        Assert.Equal(model.Labels, runner.Labels);
        Assert.Equal("plain", runner.Metadata["conv_layout"]); // the default: portable
    }

    [Fact]
    public void ValidatorFindsAnUndefinedInput()
    {
        var proto = OnnxExporter.Build(InteropFixtures.WithWeights(InteropFixtures.PrunedDcase21()), new OnnxExportOptions());
        Assert.Empty(OnnxModelValidator.Problems(proto));
        Assert.Equal(OnnxExportOptions.DefaultOpset, proto.OpsetImport.Single().Version);
        Assert.Equal(8, proto.IrVersion);

        proto.Graph.Node[3].Input[0] = "nowhere";

        Assert.Contains(OnnxModelValidator.Problems(proto), p => p.Contains("'nowhere'"));
    }

    [Theory]
    [InlineData("--onnx", "--conv-layout", "blocked4")]
    [InlineData("--graph-json", "--conv-layout", "plain")]
    public void BadConvolutionLayoutIsRefusedBeforeWriting(string outputFlag, string flag, string value)
    {
        using var temp = new TempDirectory();
        var path = temp.File("m.out");

        var result = CliRunner.Run("export", "dcase21", outputFlag, path, flag, value);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--conv-layout", result.Error);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void BadOpsetIsRefusedBeforeWriting()
    {
        using var temp = new TempDirectory();
        var path = temp.File("m.onnx");

        var result = CliRunner.Run("export", "dcase21", "--onnx", path, "--opset", "9");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--opset 9", result.Error);
        Assert.False(File.Exists(path));
    }
}
