using AudioPrune.Audio;
using AudioPrune.Graph;
using AudioPrune.Interop;
using AudioPrune.Tests.Interop;

namespace AudioPrune.Tests.Cli;

/// <summary>
/// The "note:" lines of the commands that use a model's weights: seeded random weights (a zoo name or graph file never
/// trained, also once pruned or exported), numbered classes and a guessed front end (an imported model).
/// </summary>
[Collection(TorchSerialCollection.Name)]
public sealed class ModelNotesTests
{
    private const string RandomWeights = "has seeded random weights (seed ";

    [Fact]
    public void AZooModelNamedOnTheCommandLineIsNotedWhereItsWeightsMakeTheResult()
    {
        using var dir = new TempDirectory();
        var wav = Tone(dir);
        var pruned = dir.File("p.safetensors");

        var prune = CliRunner.Run("prune", "dcase21", "--method", "l1", "--ratio", "0.5", "--seed", "3", "--out", pruned);
        var export = CliRunner.Run("export", "dcase21", "--onnx", dir.File("d.onnx"));
        var predict = CliRunner.Run("predict", "dcase21", "--audio", wav);

        Assert.Contains($"note: dcase21 {RandomWeights}3), not trained ones; train it first for meaningful results", Succeeded(prune));
        Assert.Contains($"note: dcase21 {RandomWeights}0)", Succeeded(export));
        Assert.Contains($"note: dcase21 {RandomWeights}0)", Succeeded(predict));
        Assert.DoesNotContain("no class labels", predict.Output);
    }

    [Fact]
    public void APrunedOrExportedModelThatWasNeverTrainedIsNotedToo()
    {
        using var dir = new TempDirectory();
        var wav = Tone(dir);
        var pruned = dir.File("p.safetensors");
        var onnx = dir.File("p.onnx");
        Assert.Equal(0, CliRunner.Run("prune", "dcase21", "--method", "l1", "--ratio", "0.5", "--out", pruned).ExitCode);
        Assert.Equal(0, CliRunner.Run("export", pruned, "--onnx", onnx, "--graph-json", dir.File("g.json")).ExitCode);

        Assert.Contains($"note: {onnx} {RandomWeights}0)", Succeeded(CliRunner.Run("predict", onnx, "--audio", wav)));
        Assert.Contains($"note: {dir.File("g.json")} {RandomWeights}",
            Succeeded(CliRunner.Run("prune", dir.File("g.json"), "--method", "l1", "--ratio", "0.5", "--out", dir.File("q.safetensors"))));
    }

    [Fact]
    public void InspectBenchAndATrainedArtifactGetNoNote()
    {
        using var dir = new TempDirectory();
        var trained = ModelLoader.Load("dcase21").WithMetadata(ModelArtifact.TrainingKey, "{}");
        trained.Save(dir.File("t.safetensors"));

        Assert.DoesNotContain("note:", Succeeded(CliRunner.Run("inspect", "dcase21")));
        Assert.DoesNotContain("note:", Succeeded(CliRunner.Run("bench", "dcase21", "--engine", "torch", "--runs", "2", "--warmup", "1")));
        Assert.DoesNotContain("note:", Succeeded(CliRunner.Run("export", dir.File("t.safetensors"), "--graph-json", dir.File("g.json"))));
    }

    [Fact]
    public void AnImportedKerasModelIsPredictedWithNumberedClassesAndTheFittingPresetBothNoted()
    {
        using var dir = new TempDirectory();
        var keras = SharedFiles.KerasModel("C3");

        var output = Succeeded(CliRunner.Run("predict", keras, "--audio", Tone(dir)));

        Assert.Contains($"note: {keras} has no class labels; classes are numbered (import it with 'audioprune import ... --labels FILE'", output);
        Assert.Contains($"note: {keras} stores no audio front end; using preset 'dcase2021', whose 1x40x500 examples fit its input", output);
        Assert.Matches(@"\n  class\d ", output);
        Assert.DoesNotContain(RandomWeights, output);
    }

    [Fact]
    public void LabelsGivenAtImportNameTheClassesAndSilenceTheirNote()
    {
        using var dir = new TempDirectory();
        var names = Enumerable.Range(0, 10).Select(i => $"scene-{i}").ToArray();
        File.WriteAllText(dir.File("labels.txt"), string.Join("\n", names) + "\n\n");
        var model = dir.File("c3.safetensors");

        var import = CliRunner.Run("import", SharedFiles.KerasModel("C3"), "--labels", dir.File("labels.txt"), "--out", model);
        var predict = CliRunner.Run("predict", model, "--audio", Tone(dir), "--preset", "dcase2021", "--top", "10");

        Assert.True(import.ExitCode == 0, import.Error);
        Assert.Equal(names, ModelArtifact.Load(model).Labels);
        var output = Succeeded(predict);
        Assert.DoesNotContain("note:", output);
        Assert.All(names, n => Assert.Contains(n, output));
    }

    [Theory]
    [InlineData("a\nb\nc\n", "3 labels for a network with 10 outputs")]
    [InlineData("a\na\nb\nc\nd\ne\nf\ng\nh\ni\n", "label 'a' appears more than once")]
    public void ALabelsFileThatDoesNotFitIsRefusedByName(string text, string problem)
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("labels.txt"), text);
        var model = dir.File("c3.safetensors");

        var result = CliRunner.Run("import", SharedFiles.KerasModel("C3"), "--labels", dir.File("labels.txt"), "--out", model);

        ModelCommandTests.AssertBadInput(result, $"{dir.File("labels.txt")}: {problem}");
        Assert.Equal("", result.Output);
        Assert.False(File.Exists(model));
    }

    [Fact]
    public void AnImportedModelThatNoPresetFitsIsRefusedUntilGivenAFrontEnd()
    {
        using var dir = new TempDirectory();
        var onnx = OnnxFixtureFiles.Onnx("resnet_small");
        var wav = Tone(dir);
        File.WriteAllText(dir.File("front-end.json"), """{"preset": "dcase2021", "mel_bands": 64, "example_frames": 100}""");

        var refused = CliRunner.Run("predict", onnx, "--audio", wav, "--json", dir.File("p.json"));
        var given = CliRunner.Run("predict", onnx, "--audio", wav, "--preset", dir.File("front-end.json"));

        ModelCommandTests.AssertBadInput(refused, "does not say which audio front end it expects and no preset");
        Assert.Contains("pass --preset", refused.Error);
        Assert.Equal("", refused.Output);
        Assert.False(File.Exists(dir.File("p.json")));
        var output = Succeeded(given);
        Assert.Contains("has no class labels", output);
        Assert.DoesNotContain("stores no audio front end", output);
    }

    [Fact]
    public void PredictHelpOffersOnlyAudioFormatsTheDecoderReads()
    {
        var help = CliRunner.Run("predict", "--help");

        Assert.Equal(0, help.ExitCode);
        Assert.DoesNotContain("flac", help.Output, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("WAV or OGG Vorbis", help.Output);
    }

    /// <summary>One second of a sine tone at 44.1 kHz.</summary>
    private static string Tone(TempDirectory dir)
    {
        var path = dir.File("tone.wav");
        WavWriter.WriteMono(path, 44100, Enumerable.Range(0, 44100).Select(i => (float)(0.3 * Math.Sin(i * 0.05))).ToArray());
        return path;
    }

    private static string Succeeded(CliRunner.Result result)
    {
        Assert.True(result.ExitCode == 0, result.Error);
        return result.Output;
    }
}
