using System.Globalization;
using System.Text.RegularExpressions;
using AudioPrune.Audio;
using AudioPrune.Tests.Interop;

namespace AudioPrune.Tests.Cli;

/// <summary>A network exported from PyTorch is trained on a dataset with a front end given as a settings file, then evaluated and asked to predict.</summary>
[Collection(TorchSerialCollection.Name)]
[Trait("Category", "Slow")]
public sealed partial class ImportedModelCommandTests
{
    [Fact]
    public void AnImportedNetworkTrainsEvaluatesAndPredictsWithAFrontEndFile()
    {
        using var dir = new TempDirectory();
        for (var label = 0; label < 10; label++)
        {
            Directory.CreateDirectory(dir.File($"data/tone{label}"));
            for (var clip = 0; clip < 6; clip++)
            {
                var frequency = 200.0 * (label + 1) + 7 * clip;
                var samples = Enumerable.Range(0, 44100).Select(i => (float)(0.5 * Math.Sin(2 * Math.PI * frequency * i / 44100))).ToArray();
                WavWriter.WriteMono(dir.File($"data/tone{label}/{clip}.wav"), 44100, samples);
            }
        }
        File.WriteAllText(dir.File("front-end.json"), """{"preset": "dcase2021", "mel_bands": 64, "example_frames": 100}""");
        var model = OnnxFixtureFiles.Onnx("resnet_small");
        var common = new[] { "--data", dir.File("data"), "--cache", dir.File("cache"), "--threads", "1" };

        var train = CliRunner.Run(["train", "--model", model, "--out", dir.File("m.safetensors"), "--preset", dir.File("front-end.json"),
            "--epochs", "4", "--batch-size", "8", "--seed", "1", .. common]);
        Assert.True(train.ExitCode == 0, train.Error);
        var losses = Loss().Matches(train.Output).Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(4, losses.Length);
        Assert.True(losses[^1] < losses[0], $"losses {string.Join(", ", losses)}");

        var evaluate = CliRunner.Run(["evaluate", dir.File("m.safetensors"), .. common]);
        Assert.True(evaluate.ExitCode == 0, evaluate.Error);
        Assert.Contains("balanced accuracy", evaluate.Output);

        var predict = CliRunner.Run("predict", dir.File("m.safetensors"), "--audio", dir.File("data/tone3/0.wav"), "--top", "2");
        Assert.True(predict.ExitCode == 0, predict.Error);
        Assert.Matches(@"tone\d", predict.Output);
    }

    [Fact]
    public void AFrontEndFileThatIsNotValidJsonIsRefusedByName()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("front-end.json"), "{ not json");
        var result = CliRunner.Run("features", dir.Path, "--preset", dir.File("front-end.json"));
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"audioprune: error: {dir.File("front-end.json")}: front-end settings: invalid JSON", result.Error);
    }

    [GeneratedRegex(@"train loss ([\d.]+)")]
    private static partial Regex Loss();
}
