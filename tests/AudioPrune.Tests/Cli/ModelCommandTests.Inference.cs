using System.Text.Json;
using AudioPrune.Interop.Onnx;

namespace AudioPrune.Tests.Cli;

public sealed partial class ModelCommandTests
{
    [Fact]
    public void EvaluateGivesTheSameAccuracyWithTorchAndOnnx()
    {
        var torchJson = fixture.File("eval-torch.json");
        var onnxJson = fixture.File("eval-onnx.json");
        var torch = CliRunner.Run("evaluate", fixture.Model, "--data", fixture.Manifest, "--threads", "1", "--cache", fixture.Cache, "--json", torchJson);
        var onnx = CliRunner.Run("evaluate", fixture.Model, "--data", fixture.Manifest, "--threads", "1", "--cache", fixture.Cache,
            "--engine", "onnx", "--json", onnxJson);
        Assert.True(torch.ExitCode == 0, torch.Error);
        Assert.True(onnx.ExitCode == 0, onnx.Error);
        Assert.Contains("balanced accuracy", torch.Output);
        Assert.Contains($"runs as: conv layout {ConvolutionLayouts.ForThisCpu().Describe()}", onnx.Output);
        Assert.Contains("true \\ predicted", torch.Output);
        Assert.Contains("skipped: 0 file(s)", torch.Output);
        Assert.Contains($"wrote {torchJson}", torch.Output);

        using var a = JsonDocument.Parse(File.ReadAllText(torchJson));
        using var b = JsonDocument.Parse(File.ReadAllText(onnxJson));
        var clipsA = a.RootElement.GetProperty("result").GetProperty("clip_level");
        var clipsB = b.RootElement.GetProperty("result").GetProperty("clip_level");
        Assert.Equal(clipsA.GetProperty("accuracy").GetDouble(), clipsB.GetProperty("accuracy").GetDouble());
        Assert.Equal(clipsA.GetProperty("confusion_matrix").ToString(), clipsB.GetProperty("confusion_matrix").ToString());
        Assert.Equal(clipsA.GetProperty("log_loss").GetDouble(), clipsB.GetProperty("log_loss").GetDouble(), 4);
        // An exported .onnx file carries its labels, front end and normalisation and scores the same.
        var exported = fixture.File("baseline.onnx");
        global::AudioPrune.Interop.Onnx.OnnxExporter.Write(global::AudioPrune.Graph.ModelArtifact.Load(fixture.Model), exported);
        var fileJson = fixture.File("eval-file.json");
        var file = CliRunner.Run("evaluate", exported, "--data", fixture.Manifest, "--threads", "1", "--cache", fixture.Cache, "--json", fileJson);
        Assert.True(file.ExitCode == 0, file.Error);
        using var c = JsonDocument.Parse(File.ReadAllText(fileJson));
        var clipsC = c.RootElement.GetProperty("result").GetProperty("clip_level");
        Assert.Equal(clipsA.GetProperty("confusion_matrix").ToString(), clipsC.GetProperty("confusion_matrix").ToString());
        Assert.Equal(clipsA.GetProperty("log_loss").GetDouble(), clipsC.GetProperty("log_loss").GetDouble(), 4);
        AssertBadInput(CliRunner.Run("evaluate", exported, "--data", fixture.Manifest, "--engine", "torch"), "--engine onnx");

        var clips = a.RootElement.GetProperty("result").GetProperty("clips").GetInt32();
        Assert.Equal(clips, clipsA.GetProperty("confusion_matrix").EnumerateArray().Sum(row => row.EnumerateArray().Sum(n => n.GetInt32())));
    }

    [Fact]
    public void PredictListsTheTopClassesOfAGeneratedRecording()
    {
        var wav = Directory.EnumerateFiles(fixture.DataFolder, "*.wav", SearchOption.AllDirectories).First();
        var json = fixture.File("predict.json");
        var result = CliRunner.Run("predict", fixture.Model, "--audio", wav, "--top", "2", "--json", json);
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains(wav, result.Output);
        Assert.Contains($"wrote {json}", result.Output);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var top = doc.RootElement[0].GetProperty("top").EnumerateArray().ToArray();
        Assert.Equal(2, top.Length);
        Assert.True(top[0].GetProperty("probability").GetDouble() >= top[1].GetProperty("probability").GetDouble());
        var labels = global::AudioPrune.Graph.ModelArtifact.Load(fixture.Model).Labels;
        Assert.All(top, t => Assert.Contains(t.GetProperty("class").GetString(), labels));
        Assert.All(top, t => Assert.Contains(t.GetProperty("class").GetString()!, result.Output));
        // A trained model has real weights, labels and a stored front end: nothing to note.
        Assert.DoesNotContain("note:", result.Output + result.Error);
    }

    [Fact]
    public void EvaluateWithJsonToStandardOutputPrintsOnlyJsonThereAndNoNoteForATrainedModel()
    {
        var result = CliRunner.Run("evaluate", fixture.Model, "--data", fixture.Manifest, "--threads", "1", "--cache", fixture.Cache, "--json", "-");

        Assert.True(result.ExitCode == 0, result.Error);
        using var doc = JsonDocument.Parse(result.Output);
        Assert.Equal("test", doc.RootElement.GetProperty("split").GetString());
        Assert.Contains("balanced accuracy", result.Error);
        Assert.DoesNotContain("note:", result.Error);
        Assert.False(File.Exists(Path.Combine(Environment.CurrentDirectory, "-")));
    }

    [Fact]
    public void APrunedTrainedModelIsNotNotedAsRandom()
    {
        var pruned = fixture.File("pruned-trained.safetensors");
        var result = CliRunner.Run("prune", fixture.Model, "--method", "l1", "--ratio", "0.5", "--out", pruned);
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.DoesNotContain("seeded random weights", result.Output);
        var predict = CliRunner.Run("predict", pruned, "--audio", Directory.EnumerateFiles(fixture.DataFolder, "*.wav", SearchOption.AllDirectories).First());
        Assert.True(predict.ExitCode == 0, predict.Error);
        Assert.DoesNotContain("note:", predict.Output);
    }

    [Fact]
    public void PredictRefusesAFileThatIsNotAudio()
    {
        var notAudio = fixture.File("notes.wav");
        File.WriteAllText(notAudio, "these are meeting notes, not a recording");
        var json = fixture.File("bad-predict.json");
        var result = CliRunner.Run("predict", fixture.Model, "--audio", notAudio, "--json", json);
        AssertBadInput(result, "notes.wav");
        Assert.Equal("", result.Output);
        Assert.False(File.Exists(json));
    }

    [Fact]
    public void AnUnknownEngineIsRefusedBeforeAnyWork()
    {
        var json = fixture.File("bad-engine.json");
        var result = CliRunner.Run("evaluate", fixture.Model, "--data", fixture.Manifest, "--engine", "tensorrt", "--json", json);
        AssertBadInput(result, "tensorrt");
        Assert.False(File.Exists(json));
        AssertBadInput(CliRunner.Run("predict", fixture.Model, "--audio", fixture.Manifest, "--engine", "tensorrt"), "tensorrt");
    }
}
