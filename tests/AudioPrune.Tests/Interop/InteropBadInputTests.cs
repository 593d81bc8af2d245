using AudioPrune.Interop;

namespace AudioPrune.Tests.Interop;

/// <summary>Bad files give one line "audioprune: error: ...", exit code 2, and no output file.</summary>
public sealed class InteropBadInputTests
{
    private static readonly object Conv = new
    {
        name = "conv2d_1", filters = 4, kernel_size = new[] { 3, 3 }, strides = new[] { 1, 1 }, padding = "same",
        data_format = "channels_last", dilation_rate = new[] { 1, 1 }, activation = "relu", use_bias = true,
    };

    private static KerasFixtureFile.Layer ConvLayer(int kernelFilters, Random random) =>
        new("Conv2D", Conv, [KerasFixtureFile.Tensor.Random("kernel", [3, 3, 1, kernelFilters], random), KerasFixtureFile.Tensor.Random("bias", [kernelFilters], random)]);

    [Fact]
    public void HdfFileThatIsNotAKerasModel()
    {
        using var temp = new TempDirectory();
        var path = temp.File("data.h5");
        new PureHDF.H5File { ["numbers"] = new float[] { 1, 2, 3 } }.Write(path);

        AssertRefused(temp, path, "not a Keras model");
    }

    [Fact]
    public void UnsupportedLayerIsNamedWithItsPosition()
    {
        using var temp = new TempDirectory();
        var path = temp.File("lstm.h5");
        var random = new Random(1);
        KerasFixtureFile.WriteSequential(path, [8, 8, 1],
        [
            ConvLayer(4, random),
            new("LSTM", new { name = "lstm_1", units = 3 }, []),
        ]);

        var error = AssertRefused(temp, path, "layer 2 (LSTM 'lstm_1')");
        Assert.Contains("cannot import", error);
    }

    [Fact]
    public void ConfigAndWeightsOfDifferentShapes()
    {
        using var temp = new TempDirectory();
        var path = temp.File("mismatch.h5");
        KerasFixtureFile.WriteSequential(path, [8, 8, 1], [ConvLayer(5, new Random(2))]);

        var error = AssertRefused(temp, path, "layer 1 (Conv2D 'conv2d_1')");
        Assert.Contains("[3, 3, 1, 4]", error);
        Assert.Contains("[3, 3, 1, 5]", error);
    }

    [Fact]
    public void TruncatedKerasFile()
    {
        using var temp = new TempDirectory();
        var path = temp.File("truncated.h5");
        var bytes = File.ReadAllBytes(KerasModels.File("C1"));
        File.WriteAllBytes(path, bytes[..(bytes.Length / 3)]);

        AssertRefused(temp, path, "truncated.h5");
    }

    [Fact]
    public void SmallKerasFixtureImportsAndRuns()
    {
        // The fixture writer itself must produce importable files, or the refusals above would prove nothing.
        using var temp = new TempDirectory();
        var path = temp.File("ok.h5");
        KerasFixtureFile.WriteSequential(path, [8, 8, 1], [ConvLayer(4, new Random(3))]);

        var model = ModelLoader.Load(path);

        Assert.Equal([4, 8, 8], model.Graph.OutputShape.Dims);
        Assert.Equal([4, 1, 3, 3], model.Weights["conv2d_1.weight"].Shape);
    }

    [Fact]
    public void PyTorchFileWithTensorsOfAnotherGraph()
    {
        using var temp = new TempDirectory();
        var weights = temp.File("dcase21.pt");
        StateDictExporter.WritePyTorch(ModelLoader.Load("dcase21"), weights);
        var graph = temp.File("pruned.json");
        StateDictExporter.WriteGraphJson(InteropFixtures.WithWeights(InteropFixtures.PrunedDcase21()), graph);
        var output = temp.File("out.safetensors");

        var result = CliRunner.Run("import", weights, "--graph", graph, "--out", output);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("mis-shaped conv1.weight: expected [11, 1, 7, 7], got [16, 1, 7, 7]", result.Error);
        Assert.Single(result.Error.Trim().Split('\n'));
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void PyTorchFileThatIsNotAStateDict()
    {
        using var temp = new TempDirectory();
        var weights = temp.File("junk.pt");
        File.WriteAllText(weights, "not a pickle");
        var output = temp.File("out.safetensors");

        var result = CliRunner.Run("import", weights, "--graph", "dcase21", "--out", output);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("junk.pt: not a PyTorch state_dict", result.Error);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void WeightsWithoutAGraph()
    {
        using var temp = new TempDirectory();
        var weights = temp.File("w.safetensors");
        StateDictExporter.WriteSafetensors(ModelLoader.Load("dcase21"), weights);

        var result = CliRunner.Run("import", weights, "--out", temp.File("out.safetensors"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--graph", result.Error);
    }

    private static string AssertRefused(TempDirectory temp, string h5, string expected)
    {
        var output = temp.File("out.safetensors");
        var import = CliRunner.Run("import", h5, "--out", output);
        var inspect = CliRunner.Run("inspect", h5);

        Assert.Equal(2, import.ExitCode);
        Assert.Equal(2, inspect.ExitCode);
        Assert.StartsWith("audioprune: error: ", import.Error);
        Assert.Single(import.Error.Trim().Split('\n'));
        Assert.Contains(expected, import.Error);
        Assert.False(File.Exists(output));
        return import.Error;
    }
}
