using System.Globalization;
using System.Text.Json;
using AudioPrune.Data;
using AudioPrune.Graph;
using AudioPrune.Interop;
using AudioPrune.Training;

namespace AudioPrune.Tests.Cli;

/// <summary>train, finetune, evaluate and predict on one tiny dataset and one model trained by the fixture.</summary>
[Collection(TorchSerialCollection.Name)]
[Trait("Category", "Slow")]
public sealed partial class ModelCommandTests(TrainedModelFixture fixture) : IClassFixture<TrainedModelFixture>
{
    [Fact]
    public void TrainStoresFrontEndNormalisationAndARecordChosenOnValidation()
    {
        Assert.True(fixture.Train.ExitCode == 0, fixture.Train.Error);
        var model = ModelArtifact.Load(fixture.Model);
        Assert.Equal(3, model.Graph.OutputShape[0]);
        Assert.Equal(3, model.Labels.Count);
        Assert.Contains(ModelArtifact.FrontEndKey, model.Metadata.Keys);
        Assert.NotNull(ModelData.NormalizationOf(model));
        using var record = JsonDocument.Parse(model.Metadata[ModelArtifact.TrainingKey]);
        var best = record.RootElement.GetProperty("best_epoch").GetInt32();
        Assert.Equal(2, record.RootElement.GetProperty("epochs_run").GetInt32());
        Assert.Equal("ValidationAccuracy", record.RootElement.GetProperty("selection_metric").GetString());

        var log = ReadLog(fixture.Model + ".run");
        Assert.Equal([1, 2], log.Select(r => r.Epoch));
        // The selected epoch is the first with the best validation accuracy in the log.
        Assert.Equal(log.First(r => r.ValidationAccuracy == log.Max(l => l.ValidationAccuracy)).Epoch, best);
        Assert.Contains($"selected epoch {best} of 2", fixture.Train.Output);
        Assert.Contains("test accuracy", fixture.Train.Output);
        Assert.Equal(2, fixture.Train.Output.Split('\n').Count(l => l.StartsWith("epoch ", StringComparison.Ordinal)));
        // Training starts from the zoo's random weights by design, so there is nothing to note.
        Assert.DoesNotContain("note:", fixture.Train.Output + fixture.Train.Error);
    }

    [Fact]
    public void TrainPrintsAndStoresItsCost()
    {
        Assert.True(fixture.Train.ExitCode == 0, fixture.Train.Error);
        var line = fixture.Train.Output.Split('\n').Single(l => l.StartsWith("training cost: ", StringComparison.Ordinal));
        Assert.Matches(@"s CPU, [0-9.]+ Wh (measured by RAPL|estimated from CPU time at 10 W per core), [0-9.]+ g CO2 at 436 g/kWh \(an estimate\)", line);
        var record = JsonDocument.Parse(AudioPrune.Graph.ModelArtifact.Load(fixture.Model).Metadata[AudioPrune.Graph.ModelArtifact.TrainingKey]).RootElement;
        var cost = record.GetProperty("cost");
        Assert.True(cost.GetProperty("energy_wh").GetDouble() > 0);
        Assert.True(cost.GetProperty("cpu_seconds").GetDouble() > 0);
        var refused = CliRunner.Run("train", "--model", "dcase21", "--data", fixture.Manifest, "--out", fixture.File("never.safetensors"),
            "--epochs", "1", "--watts-per-core", "0", "--cache", fixture.Cache);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("--watts-per-core must be a finite number above 0", refused.Error);
        Assert.False(File.Exists(fixture.File("never.safetensors")));
    }

    [Fact]
    public void FinetuneDistilsFromATeacherAndRecordsIt()
    {
        var output = fixture.File("kd.safetensors");
        var run = CliRunner.Run("finetune", fixture.Model, "--data", fixture.Manifest, "--out", output, "--epochs", "1", "--batch-size", "8",
            "--threads", "1", "--cache", fixture.Cache, "--teacher", fixture.Model, "--kd-weight", "0.7", "--kd-temperature", "3");
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("distillation: weight 0.7, temperature 3, teacher ", run.Output);
        var record = JsonDocument.Parse(AudioPrune.Graph.ModelArtifact.Load(output).Metadata[AudioPrune.Graph.ModelArtifact.TrainingKey]).RootElement;
        var kd = record.GetProperty("distillation");
        Assert.Equal(0.7, kd.GetProperty("weight").GetDouble());
        Assert.Equal(3, kd.GetProperty("temperature").GetDouble());
        Assert.Contains("/", kd.GetProperty("teacher").GetString());

        var alone = CliRunner.Run("finetune", fixture.Model, "--data", fixture.Manifest, "--out", fixture.File("never.safetensors"), "--kd-weight", "0.7");
        Assert.Equal(2, alone.ExitCode);
        Assert.Contains("--kd-weight and --kd-temperature need --teacher MODEL", alone.Error);
        var range = CliRunner.Run("finetune", fixture.Model, "--data", fixture.Manifest, "--out", fixture.File("never.safetensors"),
            "--teacher", fixture.Model, "--kd-weight", "2");
        Assert.Equal(2, range.ExitCode);
        Assert.Contains("--kd-weight must be in [0, 1], got 2", range.Error);
        Assert.False(File.Exists(fixture.File("never.safetensors")));
    }

    [Fact]
    public void FinetuneOnHalfTheDataRecordsTheFractionAndUsesFewerExamples()
    {
        var output = fixture.File("half.safetensors");
        var result = CliRunner.Run("finetune", fixture.Model, "--data", fixture.Manifest, "--out", output, "--fraction", "0.5",
            "--epochs", "1", "--batch-size", "8", "--threads", "1", "--cache", fixture.Cache);
        Assert.True(result.ExitCode == 0, result.Error);
        var baseline = Record(ModelArtifact.Load(fixture.Model));
        var finetuned = ModelArtifact.Load(output);
        var record = Record(finetuned);
        Assert.Equal(0.5, record.GetProperty("data_fraction").GetDouble());
        Assert.True(record.GetProperty("train_examples").GetInt32() < baseline.GetProperty("train_examples").GetInt32());
        Assert.Equal(baseline.GetProperty("validation_examples").GetInt32(), record.GetProperty("validation_examples").GetInt32());
        // The stored front end and normalisation are carried over unchanged.
        var source = ModelArtifact.Load(fixture.Model);
        Assert.Equal(source.Metadata[ModelArtifact.NormalizationKey], finetuned.Metadata[ModelArtifact.NormalizationKey]);
        Assert.Equal(source.Metadata[ModelArtifact.FrontEndKey], finetuned.Metadata[ModelArtifact.FrontEndKey]);
    }

    [Fact]
    public void ResumeFinishesAnInterruptedRun()
    {
        var output = fixture.File("resumed.safetensors");
        var runFolder = output + ".run";
        // Stop a two-epoch run after its first epoch, as a killed process would leave it.
        var start = ModelLoader.Load("dcase21", seed: 3);
        using (var data = ModelData.Load(start, fixture.Manifest, new DatasetLoadOptions { CacheDirectory = fixture.Cache, Threads = 1 }, false))
        {
            var model = ModelData.ForData("dcase21", start, data, 3);
            var options = TrainingOptions.ForModel(model.Graph.Name) with { Epochs = 2, BatchSize = 8, Threads = 1, Seed = 3, RunFolder = runFolder };
            using var cancel = new CancellationTokenSource();
            Assert.Throws<OperationCanceledException>(() => new Trainer().Fit(model, data.Splits, options,
                new Reporter(e => { if (e is EpochReport) cancel.Cancel(); }), cancel.Token));
        }
        Assert.Single(ReadLog(runFolder));

        var again = CliRunner.Run("train", "--model", "dcase21", "--data", fixture.Manifest, "--out", output, "--threads", "1", "--cache", fixture.Cache);
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("--resume", again.Error);
        Assert.False(File.Exists(output));

        var resumed = CliRunner.Run("train", "--model", "dcase21", "--data", fixture.Manifest, "--out", output, "--threads", "1", "--cache", fixture.Cache, "--resume");
        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Equal([1, 2], ReadLog(runFolder).Select(r => r.Epoch));
        Assert.Equal(2, Record(ModelArtifact.Load(output)).GetProperty("epochs_run").GetInt32());
        Assert.Contains("epoch 2/2", resumed.Output);
        Assert.DoesNotContain("epoch 1/2", resumed.Output);
    }

    [Fact]
    public void MissingDataFolderIsOneLineAndWritesNothing()
    {
        var output = fixture.File("missing.safetensors");
        AssertBadInput(CliRunner.Run("train", "--model", "dcase21", "--data", fixture.File("no-such-data"), "--out", output), "no-such-data");
        Assert.False(File.Exists(output));
        Assert.False(Directory.Exists(output + ".run"));
    }

    [Theory]
    [InlineData("--epochs", "0", "epochs")]
    [InlineData("--lr", "-1", "learning rate")]
    [InlineData("--batch-size", "0", "batch size")]
    public void BadTrainingNumbersAreRefusedBeforeTheDataIsRead(string flag, string value, string mentions)
    {
        var output = fixture.File("bad-number.safetensors");
        var result = CliRunner.Run("train", "--model", "dcase21", "--data", fixture.Manifest, "--out", output, flag, value);
        AssertBadInput(result, mentions);
        Assert.Equal("", result.Output);   // the data summary line is printed once the data has been read
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void AnArtifactWithAnotherClassCountIsRefused()
    {
        var tenClasses = fixture.File("ten.safetensors");
        ModelLoader.Load("dcase21").Save(tenClasses);
        var output = fixture.File("ten-trained.safetensors");
        var result = CliRunner.Run("train", "--model", tenClasses, "--data", fixture.Manifest, "--out", output, "--epochs", "1",
            "--threads", "1", "--cache", fixture.Cache);
        AssertBadInput(result, "3 classes");
        Assert.Contains("10 outputs", result.Error);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void AnEmptyTrainingSplitIsRefused()
    {
        // The same recordings, none of them in the training split.
        var lines = File.ReadAllLines(fixture.Manifest);
        var header = lines[0].Split(',');
        var splitColumn = Array.IndexOf(header, "split");
        var rewritten = lines.Skip(1).Select((line, i) =>
        {
            var cells = line.Split(',');
            cells[splitColumn] = i % 2 == 0 ? "test" : "validation";
            return string.Join(',', cells);
        });
        var manifest = Path.Combine(fixture.DataFolder, "no-train.csv");
        File.WriteAllLines(manifest, [lines[0], .. rewritten]);
        var output = fixture.File("no-train.safetensors");
        var result = CliRunner.Run("train", "--model", "dcase21", "--data", manifest, "--out", output, "--epochs", "1", "--threads", "1", "--cache", fixture.Cache);
        AssertBadInput(result, "train");
        Assert.False(File.Exists(output));
    }

    internal static void AssertBadInput(CliRunner.Result result, string mentions)
    {
        Assert.Equal(2, result.ExitCode);
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("audioprune: error:", lines[0]);
        Assert.Contains(mentions, lines[0]);
    }

    private static JsonElement Record(ModelArtifact model) =>
        JsonDocument.Parse(model.Metadata[ModelArtifact.TrainingKey]).RootElement;

    private static List<(int Epoch, double ValidationAccuracy)> ReadLog(string runFolder)
    {
        var lines = File.ReadAllLines(Path.Combine(runFolder, TrainingLog.FileName));
        Assert.Equal(TrainingLog.Header, lines[0]);
        var column = Array.IndexOf(lines[0].Split(','), "validation_accuracy");
        return lines.Skip(1).Select(l => l.Split(','))
            .Select(c => (int.Parse(c[0], CultureInfo.InvariantCulture), double.Parse(c[column], CultureInfo.InvariantCulture))).ToList();
    }

    /// <summary>Reports on the training thread, so the cancellation lands before the next epoch starts.</summary>
    private sealed class Reporter(Action<TrainingEvent> report) : IProgress<TrainingEvent>
    {
        public void Report(TrainingEvent value) => report(value);
    }
}
