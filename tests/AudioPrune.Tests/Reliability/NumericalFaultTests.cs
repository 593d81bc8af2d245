using System.Text.Json.Nodes;
using AudioPrune.Interop;

namespace AudioPrune.Tests.Reliability;

/// <summary>
/// Non-finite weights in an imported model, and pruning a layer to zero width, are refused with a message that
/// names the tensor or layer, at the CLI with exit code 2 and nothing written. (A training loss that becomes NaN
/// is covered in Training/TrainingInputTests, --keep 0 in Pruning/PruneCommandTests.)
/// </summary>
[Trait("Category", "Slow")]
public sealed class NumericalFaultTests
{
    [Fact]
    public void NaNInAKerasFileIsRefusedNamingTheTensor()
    {
        using var dir = new TempDirectory();
        var (path, tensor) = KerasFileWithNaN(dir);

        var e = Assert.Throws<global::AudioPrune.UserInputException>(() => ModelLoader.Load(path));
        Assert.Contains($"tensor '{tensor}' holds a non-finite value (NaN)", e.Message);
        Assert.StartsWith(path, e.Message);

        var outPath = dir.File("pruned.safetensors");
        var cli = CliRunner.Run("prune", path, "--method", "l1", "--ratio", "0.5", "--out", outPath);
        Assert.Equal(2, cli.ExitCode);
        Assert.Contains($"tensor '{tensor}' holds a non-finite value", cli.Error);
        Assert.False(File.Exists(outPath));
    }

    [Fact]
    public void PruningALayerToZeroWidthIsRefused()
    {
        using var dir = new TempDirectory();
        var planPath = dir.File("plan.json");
        var made = CliRunner.Run("prune", "dcase21", "--method", "l1", "--layers", "conv1", "--keep", "4", "--plan", planPath, "--out", dir.File("a.safetensors"));
        Assert.True(made.ExitCode == 0, made.Error);

        var plan = JsonNode.Parse(File.ReadAllText(planPath))!;
        plan["layers"]![0]!["kept"] = new JsonArray();
        File.WriteAllText(planPath, plan.ToJsonString());
        var outPath = dir.File("b.safetensors");
        var empty = CliRunner.Run("prune", "dcase21", "--method", "l1", "--plan-in", planPath, "--out", outPath);
        Assert.Equal(2, empty.ExitCode);
        Assert.Contains("layer 'conv1': keeps no filters; at least one must stay", empty.Error);
        Assert.False(File.Exists(outPath));
    }

    /// <summary>
    /// A copy of a real Keras model with one weight replaced by NaN in the file's bytes: a value that occurs once
    /// in the weights and whose float32 bytes occur once in the file, so the tensor it belongs to is known.
    /// </summary>
    private static (string Path, string Tensor) KerasFileWithNaN(TempDirectory dir)
    {
        var source = SharedFiles.KerasModel("C3");
        var bytes = File.ReadAllBytes(source);
        var weights = ModelLoader.Load(source).Weights;
        var counts = weights.Entries.SelectMany(e => e.Value.Data).GroupBy(v => v).ToDictionary(g => g.Key, g => g.Count());
        foreach (var (name, tensor) in weights.Entries.Where(e => e.Key.EndsWith(".weight", StringComparison.Ordinal)))
        foreach (var value in tensor.Data.Take(64))
        {
            if (counts[value] != 1) continue;
            var pattern = BitConverter.GetBytes(value);
            var at = bytes.AsSpan().IndexOf(pattern);
            if (at < 0 || bytes.AsSpan(at + 1).IndexOf(pattern) >= 0) continue;
            BitConverter.GetBytes(float.NaN).CopyTo(bytes, at);
            var path = dir.File("nan.h5");
            File.WriteAllBytes(path, bytes);
            return (path, name);
        }
        throw new InvalidOperationException($"no weight of {source} has a unique byte pattern");
    }
}
