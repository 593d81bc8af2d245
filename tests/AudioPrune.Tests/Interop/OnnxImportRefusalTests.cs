namespace AudioPrune.Tests.Interop;

/// <summary>The bad ONNX fixtures: each is refused by 'audioprune import' with exit 2 and one line naming the file and the problem.</summary>
[Collection(TorchSerialCollection.Name)]
public sealed class OnnxImportRefusalTests
{
    [Theory]
    [InlineData("unsupported_op", "node '/lstm/LSTM' (LSTM)")]
    [InlineData("no_conv", "no Conv node")]
    [InlineData("dynamic_spatial", "dynamic spatial shape")]
    [InlineData("external_data", "external_data.onnx.data', which is missing")]
    [InlineData("truncated", "not a readable ONNX model")]
    public void BadFixtureIsRefusedWithOneLineAndNothingWritten(string name, string problem)
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(OnnxFixtureFiles.Folder, "bad", name + ".onnx");
        var result = CliRunner.Run("import", path, "--out", dir.File("m.safetensors"));
        Assert.Equal(2, result.ExitCode);
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Contains(path, lines[0]);
        Assert.Contains(problem, lines[0]);
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
    }

    [Fact]
    public void UnsupportedOpMessageListsEverySupportedOperator()
    {
        var result = CliRunner.Run("inspect", Path.Combine(OnnxFixtureFiles.Folder, "bad", "unsupported_op.onnx"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("not supported; supported: Add, AveragePool, BatchNormalization", result.Error);
        foreach (var op in new[] { "BatchNormalization", "Conv", "Gemm", "HardSigmoid", "Split", "Slice", "ReduceMean", "Reshape" })
            Assert.Contains(op, result.Error);
    }

    [Fact]
    public void ImportWritesAModelThatInspectAndEvaluateUnderstand()
    {
        using var dir = new TempDirectory();
        var result = CliRunner.Run("import", OnnxFixtureFiles.Onnx("mobilenet_v3_se"), "--out", dir.File("m.safetensors"));
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("input 1x64x100, output 10", result.Output);
        var inspect = CliRunner.Run("inspect", dir.File("m.safetensors"));
        Assert.Equal(0, inspect.ExitCode);
        Assert.Contains("blocks.0.se.fc1", inspect.Output);
        var direct = CliRunner.Run("inspect", OnnxFixtureFiles.Onnx("mobilenet_v3_se"));
        Assert.Equal(inspect.Output, direct.Output);
    }

    [Fact]
    public void ImportRefusesAGraphForAnOnnxModel()
    {
        using var dir = new TempDirectory();
        var result = CliRunner.Run("import", OnnxFixtureFiles.Onnx("resnet_small"), "--graph", "dcase21", "--out", dir.File("m.safetensors"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("carries its own architecture", result.Error);
    }
}
