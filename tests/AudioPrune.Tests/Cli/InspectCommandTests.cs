using System.Text.Json;
using AudioPrune.Interop;

namespace AudioPrune.Tests.Cli;

public sealed class InspectCommandTests
{
    [Fact]
    public void PrintsTheTableTotalsAndConventions()
    {
        var result = CliRunner.Run("inspect", "dcase21");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("parameters: 46,246 total, 46,118 trainable", result.Output);
        Assert.Contains("MACs: 286,637,800 (286.6 M) per example", result.Output);
        Assert.Contains("conv2     conv2d      16x40x500  12,560     12,560  250,880,000", result.Output);
        Assert.Contains("batch norm, activations, pooling and the audio front end not counted", result.Output);
    }

    [Fact]
    public void WritesJsonWithTheDocumentedFields()
    {
        using var dir = new TempDirectory();
        var json = dir.File("vggish.json");
        Assert.Equal(0, CliRunner.Run("inspect", "vggish", "--json", json).ExitCode);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var root = doc.RootElement;
        Assert.Equal(55_361_162, root.GetProperty("params_total").GetInt64());
        Assert.Equal(55_361_162, root.GetProperty("params_trainable").GetInt64());
        Assert.Equal(847_119_616, root.GetProperty("macs").GetInt64());
        var conv1 = root.GetProperty("layers")[0];
        Assert.Equal("conv1", conv1.GetProperty("name").GetString());
        Assert.Equal("conv2d", conv1.GetProperty("op").GetString());
        Assert.Equal(640, conv1.GetProperty("params").GetInt64());
        Assert.Equal(3_538_944, conv1.GetProperty("macs").GetInt64());
        Assert.Equal([64, 96, 64], conv1.GetProperty("output_shape").EnumerateArray().Select(e => e.GetInt32()));
    }

    [Fact]
    public void InspectsAnArtifact()
    {
        using var dir = new TempDirectory();
        var path = dir.File("m.safetensors");
        ModelLoader.Load("dcase21").Save(path);
        var result = CliRunner.Run("inspect", path);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("46,246 total", result.Output);
    }

    [Theory]
    [InlineData("unknown model 'resnet'", "inspect", "resnet")]
    [InlineData("does not fit the input 1x40", "inspect", "dcase21", "--input", "1x40")]
    [InlineData("--input: 'x' is not a shape", "inspect", "dcase21", "--input", "x")]
    [InlineData("missing.safetensors: model file not found", "inspect", "missing.safetensors")]
    [InlineData("--conv-layout blocked4: expected one of auto, plain, blocked8, blocked16", "inspect", "dcase21", "--conv-layout", "blocked4")]
    public void BadInputIsOneLineAndExitCode2(string expected, params string[] args)
    {
        using var dir = new TempDirectory();
        var json = dir.File("out.json");
        var result = CliRunner.Run([.. args, "--json", json]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Error);
        Assert.Single(result.Error.TrimEnd().Split('\n'));
        Assert.DoesNotContain("   at ", result.Error);
        Assert.False(File.Exists(json));
    }

    [Fact]
    public void TruncatedArtifactIsABadInput()
    {
        using var dir = new TempDirectory();
        var path = dir.File("m.safetensors");
        ModelLoader.Load("dcase21").Save(path);
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..1000]);
        var result = CliRunner.Run("inspect", path);
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"audioprune: error: {path}: not a valid safetensors file", result.Error);
    }

    [Fact]
    public void InspectsAGraphFileAndRefusesAnInconsistentOne()
    {
        using var dir = new TempDirectory();
        var path = dir.File("net.json");
        var graph = global::AudioPrune.Zoo.ModelZoo.Create("dcase21").Graph;
        File.WriteAllText(path, global::AudioPrune.Graph.GraphJson.Serialize(graph, indented: true));
        var ok = CliRunner.Run("inspect", path);
        Assert.Equal(0, ok.ExitCode);
        Assert.Contains("46,246 total", ok.Output);

        File.WriteAllText(path, File.ReadAllText(path).Replace("\"in_channels\": 16,", "\"in_channels\": 12,"));
        var bad = CliRunner.Run("inspect", path);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains($"{path}: node 'conv2' (conv2d): expects 12 input channels", bad.Error);
        Assert.Single(bad.Error.TrimEnd().Split('\n'));
    }

    [Fact]
    public void AConvLayoutAddsTheMultiplyAddsOnnxRuntimeExecutes()
    {
        using var dir = new TempDirectory();
        var pruned = dir.File("c123.safetensors");
        Assert.Equal(0, CliRunner.Run("prune", "dcase21", "--method", "l1", "--keep", "11,11,22", "--out", pruned).ExitCode);
        var json = dir.File("c123.json");
        var result = CliRunner.Run("inspect", pruned, "--conv-layout", "blocked16", "--json", json);
        Assert.True(result.ExitCode == 0, result.Error);
        // conv2, 11 -> 11 filters, rows folded by 4 (the cheapest form for 16-channel blocks): 44 filters padded to 48,
        // 11 inputs, a 10x7 kernel, 10 row groups x 500 columns.
        Assert.Contains("conv2     conv2d      11x40x500   5,940      5,940  118,580,000    184,800,000", result.Output);
        Assert.Contains("executed by ONNX Runtime (blocked16 convolutions): 212,312,600 (212.3 M) multiply-adds per example, 1.53x the MACs", result.Output);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var root = doc.RootElement;
        Assert.Equal("blocked16", root.GetProperty("conv_layout").GetString());
        Assert.Equal(212_312_600, root.GetProperty("executed_macs").GetInt64());
        Assert.Equal(184_800_000, root.GetProperty("layers")[3].GetProperty("executed_macs").GetInt64());

        // Plain Conv nodes execute the MACs themselves; without a layout the column and the JSON fields are absent.
        var plain = CliRunner.Run("inspect", pruned, "--conv-layout", "plain");
        Assert.Contains("executed by ONNX Runtime (plain convolutions): 138,851,800 (138.9 M) multiply-adds per example, 1.00x the MACs", plain.Output);
        Assert.DoesNotContain("padded", plain.Output);
        var none = CliRunner.Run("inspect", pruned, "--json", json);
        Assert.DoesNotContain("executed", none.Output);
        Assert.DoesNotContain("executed_macs", File.ReadAllText(json));
    }

    [Fact]
    public void VerboseAddsTheStackTrace()
    {
        var result = CliRunner.Run("inspect", "resnet", "--verbose");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("   at ", result.Error);
    }
}
