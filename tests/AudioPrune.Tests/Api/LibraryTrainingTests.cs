using System.Text.Json;
using AudioPrune.Tests.Cli;

namespace AudioPrune.Tests.Api;

/// <summary>Fine-tuning and evaluation through the public API agree with the command line on the same data.</summary>
[Collection(TorchSerialCollection.Name)]
[Trait("Category", "Slow")]
public sealed class LibraryTrainingTests(TrainedModelFixture fixture) : IClassFixture<TrainedModelFixture>
{
    [Fact]
    public void Evaluate_scores_the_test_split_as_the_command_line_does()
    {
        var model = AudioPruneModel.Load(fixture.Model);
        var scores = model.Evaluate(fixture.Manifest, new EvaluateOptions { CacheDirectory = fixture.Cache, Threads = 1 });

        var json = fixture.File("evaluate.json");
        var cli = CliRunner.Run("evaluate", fixture.Model, "--data", fixture.Manifest, "--cache", fixture.Cache, "--threads", "1", "--json", json);
        Assert.Equal(0, cli.ExitCode);
        var clip = JsonDocument.Parse(File.ReadAllText(json)).RootElement.GetProperty("result").GetProperty("clip_level");
        Assert.Equal(clip.GetProperty("accuracy").GetDouble(), scores.Accuracy, 12);
        Assert.Equal(clip.GetProperty("log_loss").GetDouble(), scores.LogLoss, 6); // the torch engine times module forms, which differ in rounding
        Assert.Equal(clip.GetProperty("count").GetInt32(), scores.Clips);
    }

    [Fact]
    public void Fine_tuning_a_pruned_model_on_part_of_the_data_returns_the_selected_epoch()
    {
        var pruned = AudioPruneModel.Load(fixture.Model).Prune(Criteria.Similarity(), Target.Own).Model;
        var lines = new List<string>();
        var tuned = pruned.FineTune(fixture.Manifest, new FineTuneOptions
        {
            Epochs = 2, BatchSize = 8, Fraction = 0.5, Threads = 1, CacheDirectory = fixture.Cache, Progress = new Lines(lines),
        });

        Assert.Equal(2, tuned.EpochsRun);
        Assert.InRange(tuned.BestEpoch, 1, 2);
        Assert.Equal(2, lines.Count(l => l.StartsWith("epoch ", StringComparison.Ordinal)));
        Assert.Equal(pruned.Complexity, tuned.Model.Complexity);
        Assert.InRange(tuned.ValidationAccuracy, 0, 1);
        Assert.NotNull(tuned.TestAccuracy);
        var again = tuned.Model.Evaluate(fixture.Manifest, new EvaluateOptions { CacheDirectory = fixture.Cache, Threads = 1 });
        Assert.Equal(tuned.TestAccuracy!.Value, again.Accuracy, 12);
    }

    [Fact]
    public void Predict_gives_the_probabilities_the_command_line_prints()
    {
        var audio = Directory.EnumerateFiles(fixture.DataFolder, "*.wav", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First();
        var classes = AudioPruneModel.Load(fixture.Model).Predict(audio);

        var json = fixture.File("predict.json");
        Assert.Equal(0, CliRunner.Run("predict", fixture.Model, "--audio", audio, "--top", "3", "--threads", "1", "--json", json).ExitCode);
        var top = JsonDocument.Parse(File.ReadAllText(json)).RootElement[0].GetProperty("top").EnumerateArray()
            .Select(t => (t.GetProperty("class").GetString(), t.GetProperty("probability").GetDouble())).ToArray();
        Assert.Equal(3, classes.Count);
        Assert.Equal(top.Select(t => t.Item1), classes.Select(c => c.Label));
        for (var i = 0; i < top.Length; i++) Assert.Equal(top[i].Item2, classes[i].Probability, 5);
        Assert.Equal(1.0, classes.Sum(c => c.Probability), 5);
    }

    [Fact]
    public void A_fraction_outside_the_unit_interval_is_refused_by_parameter()
    {
        var e = Assert.Throws<UserInputException>(() => AudioPruneModel.Load(fixture.Model).FineTune(fixture.Manifest, new FineTuneOptions { Fraction = 0 }));
        Assert.Equal("Fraction", e.Parameter);
        Assert.Equal("fraction must be in (0, 1], got 0", e.Message);
    }

    private sealed class Lines(List<string> lines) : IProgress<string>
    {
        public void Report(string value) => lines.Add(value);
    }
}
