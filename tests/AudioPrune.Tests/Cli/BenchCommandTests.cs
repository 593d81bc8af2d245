using System.Text.Json;
using AudioPrune.Interop.Onnx;
using AudioPrune.Tests.Interop;

namespace AudioPrune.Tests.Cli;

/// <summary>`audioprune bench`: latency against a parent, the form each engine ran, the JSON record, bad input.</summary>
[Collection(TorchSerialCollection.Name)]
public sealed class BenchCommandTests
{
    [Theory]
    [InlineData("torch", "channels")]
    [InlineData("onnx", "conv layout")]
    public void A_pruned_model_is_timed_against_its_parent_and_the_record_says_how_each_ran(string engine, string form)
    {
        using var dir = new TempDirectory();
        var (pruned, parent) = SavePrunedAndParent(dir);
        var json = dir.File("latency.json");

        var result = CliRunner.Run("bench", pruned, "--engine", engine, "--runs", "3", "--warmup", "1", "--parent", parent, "--json", json);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains($"runs as: {form}", result.Output);
        Assert.Contains($"parent runs as: {form}", result.Output);
        if (engine == "onnx") Assert.Contains($"runs as: conv layout {ConvolutionLayouts.ForThisCpu().Describe()}, batch norm folded", result.Output);
        Assert.Contains("MACs ratio 2.06x", result.Output);
        using var record = JsonDocument.Parse(File.ReadAllText(json));
        var root = record.RootElement;
        Assert.StartsWith(form, root.GetProperty("form").GetString());
        Assert.True(root.GetProperty("executed_macs").GetInt64() >= root.GetProperty("macs").GetInt64());
        Assert.True(root.GetProperty("measured_speedup").GetDouble() > 0);
    }

    [Fact]
    public void With_profile_the_time_is_broken_down_by_stage_beside_the_parent()
    {
        using var dir = new TempDirectory();
        var (pruned, parent) = SavePrunedAndParent(dir);
        var json = dir.File("latency.json");

        var result = CliRunner.Run("bench", pruned, "--runs", "3", "--warmup", "1", "--parent", parent, "--profile", "--json", json);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("time by stage", result.Output);
        Assert.Matches(@"conv2 +118\.6 M .* 2\.12x", result.Output);
        using var record = JsonDocument.Parse(File.ReadAllText(json));
        foreach (var key in new[] { "layers", "parent_layers" })
        {
            var stages = record.RootElement.GetProperty(key).GetProperty("stages").EnumerateArray().ToArray();
            Assert.Equal(["conv1", "conv2", "conv3", "fc1", "fc2"], stages.Select(s => s.GetProperty("stage").GetString()));
            Assert.True(stages[1].GetProperty("median_ms").GetDouble() > 0);
        }
    }

    /// <summary>DCASE21_Net at the C1+C2+C3 widths and at the full ones, saved as .safetensors models.</summary>
    private static (string Pruned, string Parent) SavePrunedAndParent(TempDirectory dir)
    {
        var pruned = dir.File("pruned.safetensors");
        var parent = dir.File("parent.safetensors");
        InteropFixtures.WithWeights(InteropFixtures.PrunedDcase21()).Save(pruned);
        InteropFixtures.WithWeights(InteropFixtures.PrunedDcase21(16, 16, 32)).Save(parent);
        return (pruned, parent);
    }

    [Fact]
    public void Bad_settings_and_mismatched_parents_are_refused_in_one_line()
    {
        using var dir = new TempDirectory();
        var model = dir.File("m.safetensors");
        InteropFixtures.WithWeights(InteropFixtures.PrunedDcase21()).Save(model);
        ModelCommandTests.AssertBadInput(CliRunner.Run("bench", model, "--batch", "0"), "--batch");
        ModelCommandTests.AssertBadInput(CliRunner.Run("bench", model, "--engine", "tensorrt"), "tensorrt");
        ModelCommandTests.AssertBadInput(CliRunner.Run("bench", model, "--engine", "torch", "--profile"), "--profile");
        ModelCommandTests.AssertBadInput(CliRunner.Run("bench", model, "--parent", "vggish"), "input");
        ModelCommandTests.AssertBadInput(CliRunner.Run("bench", dir.File("missing.safetensors")), "missing.safetensors");
    }
}
