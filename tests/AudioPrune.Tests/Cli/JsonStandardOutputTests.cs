using System.Text.Json;
using AudioPrune.Audio;

namespace AudioPrune.Tests.Cli;

/// <summary>--json - puts the JSON alone on standard output and every other line on standard error, for each command with --json.</summary>
[Collection(TorchSerialCollection.Name)]
public sealed class JsonStandardOutputTests
{
    private static readonly string DashFile = Path.Combine(Environment.CurrentDirectory, "-");

    [Fact]
    public void InspectPrintsOnlyJsonOnStandardOutput()
    {
        var result = CliRunner.Run("inspect", "dcase21", "--json", "-");

        var root = ParsedOutput(result);
        Assert.Equal(46_246, root.GetProperty("params_total").GetInt64());
        Assert.Contains("parameters: 46,246 total", result.Error);
    }

    [Fact]
    public void PrunePrintsOnlyJsonOnStandardOutputAndSaysWhatItWroteOnStandardError()
    {
        using var dir = new TempDirectory();
        var model = dir.File("p.safetensors");

        var result = CliRunner.Run("prune", "dcase21", "--method", "l1", "--ratio", "0.5", "--out", model, "--json", "-");

        var root = ParsedOutput(result);
        Assert.Equal("l1", root.GetProperty("criterion").GetString());
        Assert.Contains($"wrote {model}", result.Error);
        Assert.Contains("% fewer", result.Error);
        Assert.True(File.Exists(model));
        Assert.Equal(["p.safetensors"], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void PredictPrintsOnlyJsonOnStandardOutput()
    {
        using var dir = new TempDirectory();
        var wav = dir.File("tone.wav");
        WavWriter.WriteMono(wav, 44100, Enumerable.Range(0, 44100).Select(i => (float)(0.3 * Math.Sin(i * 0.05))).ToArray());

        var result = CliRunner.Run("predict", "dcase21", "--audio", wav, "--top", "2", "--json", "-");

        var root = ParsedOutput(result);
        Assert.Equal(2, root[0].GetProperty("top").GetArrayLength());
        Assert.Contains($"{wav} (1 example):", result.Error);
        Assert.Contains("note: dcase21 has seeded random weights", result.Error);
    }

    [Fact]
    public void BenchPrintsOnlyJsonOnStandardOutput()
    {
        var result = CliRunner.Run("bench", "dcase21", "--engine", "torch", "--runs", "2", "--warmup", "1", "--json", "-");

        var root = ParsedOutput(result);
        Assert.True(root.GetProperty("macs").GetInt64() > 0);
        Assert.Contains("torch, batch 1, 1 thread(s)", result.Error);
    }

    [Fact]
    public void AJsonFileIsStillWrittenAndAnnouncedOnStandardOutput()
    {
        using var dir = new TempDirectory();
        var json = dir.File("inspect.json");

        var result = CliRunner.Run("inspect", "dcase21", "--json", json);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains($"wrote {json}", result.Output);
        Assert.Contains("parameters: 46,246 total", result.Output);
        Assert.Equal("", result.Error);
    }

    [Theory]
    [InlineData("export", "dcase21", "--onnx", "-")]
    [InlineData("prune", "dcase21", "--method", "l1", "--ratio", "0.5", "--out", "p.safetensors", "--plan", "-")]
    public void StandardOutputIsRefusedForOutputsOtherThanJson(params string[] args)
    {
        var result = CliRunner.Run(args);

        ModelCommandTests.AssertBadInput(result, "standard output is only for --json");
        Assert.Equal("", result.Output);
        Assert.False(File.Exists(DashFile));
        Assert.False(File.Exists("p.safetensors"));
    }

    /// <summary>Standard output of a successful run, parsed whole as JSON; no file named "-" was made.</summary>
    private static JsonElement ParsedOutput(CliRunner.Result result)
    {
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.False(File.Exists(DashFile), "a file named '-' was written");
        using var document = JsonDocument.Parse(result.Output);
        return document.RootElement.Clone();
    }
}
