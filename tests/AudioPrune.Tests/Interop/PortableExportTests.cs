using AudioPrune.Graph;
using AudioPrune.Interop;
using AudioPrune.Interop.Onnx;
using Onnx;

namespace AudioPrune.Tests.Interop;

/// <summary>
/// `export --onnx` writes the portable form unless told otherwise: one Conv node per conv layer, at the graph's own
/// channel counts; `--conv-layout auto` still writes this CPU's tuned form, and the two compute the same.
/// </summary>
[Collection(TorchSerialCollection.Name)]
public sealed class PortableExportTests
{
    /// <summary>A zoo network, a residual import and a depthwise (grouped) import.</summary>
    public static TheoryData<string> Models => new("dcase21", "resnet_small", "mobilenet_v2_small");

    private static string ModelPath(string name) => name == "dcase21" ? name : OnnxFixtureFiles.Onnx(name);

    [Theory]
    [MemberData(nameof(Models))]
    public void The_default_export_has_one_unpadded_Conv_node_per_conv_layer(string name)
    {
        var model = ModelPath(name);
        using var dir = new TempDirectory();
        var path = dir.File("portable.onnx");

        var result = CliRunner.Run("export", model, "--onnx", path);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("conv layout plain, portable)", result.Output);
        var graph = ModelLoader.LoadGraph(model);
        var proto = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        var convNodes = proto.Graph.Node.Where(n => n.OpType == "Conv").ToArray();
        Assert.Equal(graph.ConvLayers.Count, convNodes.Length);
        var initializers = proto.Graph.Initializer.ToDictionary(t => t.Name);
        foreach (var conv in graph.ConvLayers)
        {
            var node = Assert.Single(convNodes, n => n.Name == conv.Name);
            Assert.Equal(conv.Groups, node.Attribute.Single(a => a.Name == "group").I);
            long[] expected = [conv.OutChannels, conv.InChannels / conv.Groups, conv.Kernel.H, conv.Kernel.W];
            Assert.Equal(expected, initializers[node.Input[1]].Dims);
        }
        Assert.DoesNotContain(proto.Graph.Node, n => n.OpType == "Slice"); // no input split into channel chunks
        Assert.Equal("plain", proto.MetadataProps.Single(p => p.Key == "conv_layout").Value);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void The_tuned_export_is_still_there_and_computes_what_the_portable_one_does(string name)
    {
        var model = ModelPath(name);
        using var dir = new TempDirectory();
        var portable = dir.File("portable.onnx");
        var tuned = dir.File("tuned.onnx");
        var thisCpu = ConvolutionLayouts.ForThisCpu();

        // Logits, not probabilities: a saturated softmax would hide differences.
        var plainRun = CliRunner.Run("export", model, "--onnx", portable, "--no-softmax");
        var tunedRun = CliRunner.Run("export", model, "--onnx", tuned, "--no-softmax", "--conv-layout", "auto");

        Assert.True(plainRun.ExitCode == 0 && tunedRun.ExitCode == 0, plainRun.Error + tunedRun.Error);
        Assert.Contains($"conv layout {ConvolutionLayouts.Name(thisCpu)}, {thisCpu.Purpose()})", tunedRun.Output);
        using var a = new OnnxModelRunner(portable);
        using var b = new OnnxModelRunner(tuned);
        Assert.Equal(ConvolutionLayouts.Name(thisCpu), b.Metadata["conv_layout"]);
        var input = InteropFixtures.RandomInput(2 * a.InputsPerExample, seed: 11);
        InteropFixtures.AssertClose(a.Run(input, 2), b.Run(input, 2), 1e-4);
    }

    [Fact]
    public void On_a_cpu_with_blocked_kernels_the_tuned_dcase21_export_is_rewritten()
    {
        if (ConvolutionLayouts.ForThisCpu() == ConvolutionLayout.Plain) return; // no blocked kernels here: auto is plain
        var model = InteropFixtures.WithWeights(InteropFixtures.PrunedDcase21());
        int Nodes(OnnxExportOptions options) => OnnxExporter.Build(model, options).Graph.Node.Count;

        Assert.True(Nodes(new OnnxExportOptions(ConvolutionLayout: ConvolutionLayouts.Parse("auto"))) > Nodes(new OnnxExportOptions()));
    }
}
