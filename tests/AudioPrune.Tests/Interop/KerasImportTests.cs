using AudioPrune.Common;
using AudioPrune.Graph;
using AudioPrune.Graph.Nodes;
using AudioPrune.Graph.Torch;
using AudioPrune.Interop;
using AudioPrune.Interop.Keras;
using static TorchSharp.torch;

namespace AudioPrune.Tests.Interop;

public sealed class KerasImportTests
{
    [Theory]
    [InlineData("C1", 11, 16, 32)]
    [InlineData("C2", 16, 11, 32)]
    [InlineData("C3", 16, 16, 22)]
    [InlineData("C12", 11, 11, 32)]
    [InlineData("C23", 16, 11, 22)]
    [InlineData("C123", 11, 11, 22)]
    public void AuthorsModelsImportWithTheWidthsTheirNamesSay(string name, int c1, int c2, int c3)
    {
        var artifact = ModelLoader.Load(KerasModels.File(name));

        var graph = artifact.Graph;
        Assert.Equal(new Shape(1, 40, 500), graph.Input);
        Assert.Equal([c1, c2, c3], graph.ConvLayers.Select(c => c.OutChannels));
        Assert.All(graph.ConvLayers, c => Assert.Equal(new Size2(3, 3), c.Padding));
        Assert.All(graph.NodesOf<BatchNormNode>(), b => Assert.Equal(1e-3, b.Epsilon));
        Assert.Equal(ActivationKind.Softmax, graph.ProbabilityHead);
        Assert.Equal(new Shape(10), graph.OutputShape);
        Assert.Equal(c3 * 2, graph.NodesOf<LinearNode>().First().InFeatures);
    }

    [Theory]
    [InlineData("C1")]
    [InlineData("C2")]
    [InlineData("C3")]
    [InlineData("C12")]
    [InlineData("C23")]
    [InlineData("C123")]
    public void TorchOutputEqualsAnIndependentKerasSemanticsForward(string name)
    {
        var path = KerasModels.File(name);
        var random = new Random(7);
        var input = Enumerable.Range(0, 40 * 500).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();

        var expected = new KerasReferenceForward(path).Run((float[])input.Clone(), 40, 500, 1);
        var artifact = KerasImporter.Import(path);
        using var module = TorchGraphModule.Create(artifact.Graph, artifact.Weights);
        using var _ = no_grad();
        using var x = tensor(input, [1, 1, 40, 500]);
        using var y = module.call(x);
        var actual = y.data<float>().ToArray();

        Assert.Equal(10, expected.Length);
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4, $"class {i}: keras {expected[i]}, torch {actual[i]}");
        Assert.True(expected.Max() - expected.Min() > 1e-3, "the fixed input should not give a flat output");
    }

    [Fact]
    public void FlattenDenseRowsMoveFromChannelsLastToChannelMajorOrder()
    {
        // Keras (h, w, c) = (1, 2, 0) in a 2 x 3 x 4 map (H=2, W=3, C=4) is row (1*3 + 2)*4 + 0 = 20; ours is 0*6 + 1*3 + 2 = 5.
        Assert.Equal(5, ChannelsLastLayout.ChannelMajorIndex(20, new Shape(4, 2, 3)));
        var kernel = new TensorData([24, 1], Enumerable.Range(0, 24).Select(i => (float)i).ToArray());
        var moved = ChannelsLastLayout.DenseKernel(kernel, new Shape(4, 2, 3));
        Assert.Equal(20f, moved.Data[5]);
        Assert.Equal(24, moved.Data.Distinct().Count());
    }

    [Fact]
    public void ImportCommandWritesAnArtifactThatLoadsLikeTheH5()
    {
        using var temp = new TempDirectory();
        var output = temp.File("c123.safetensors");

        var result = CliRunner.Run("import", KerasModels.File("C123"), "--out", output);

        Assert.Equal(0, result.ExitCode);
        var saved = ModelArtifact.Load(output);
        var direct = ModelLoader.Load(KerasModels.File("C123"));
        Assert.Equal(GraphJson.Serialize(direct.Graph), GraphJson.Serialize(saved.Graph));
        Assert.All(direct.Weights.Names, n => Assert.Equal(direct.Weights[n].Data, saved.Weights[n].Data));
        Assert.Equal(0, CliRunner.Run("inspect", KerasModels.File("C123")).ExitCode);
    }
}
