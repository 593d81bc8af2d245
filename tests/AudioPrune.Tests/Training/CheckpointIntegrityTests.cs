using AudioPrune.Common;
using AudioPrune.Graph;
using AudioPrune.Graph.Torch;
using AudioPrune.Training;
using TorchSharp;

namespace AudioPrune.Tests.Training;

/// <summary>A checkpoint is checked in full before a run resumes from it, and its settings against what the user asks for.</summary>
[Collection(TorchSerialCollection.Name)]
public sealed class CheckpointIntegrityTests
{
    private static TrainingOptions Options(string folder) => new() { Epochs = 2, BatchSize = 16, Seed = 11, Threads = 1, RunFolder = folder };

    private static string FinishedRun(TempDirectory temp)
    {
        new Trainer().Fit(SyntheticData.Model(SyntheticData.Graph()), SyntheticData.Splits(), Options(temp.File("run")));
        return temp.File("run");
    }

    /// <summary>The message of the refusal to resume the run in <paramref name="folder"/>.</summary>
    private static string Refusal(string folder, NetworkGraph? start = null) =>
        Assert.Throws<UserInputException>(() => new Trainer().Resume(folder, SyntheticData.Splits(), start: start)).Message;

    [Fact]
    public void A_flipped_bit_anywhere_in_the_checkpoint_is_refused_naming_it()
    {
        using var temp = new TempDirectory();
        var folder = FinishedRun(temp);
        var path = Checkpoint.PathIn(folder);
        var clean = File.ReadAllBytes(path);
        foreach (var position in new[] { 2, 30, clean.Length / 3, clean.Length / 2, clean.Length - 12, clean.Length - 1 })
        {
            var damaged = clean.ToArray();
            damaged[position] ^= 0x08;
            File.WriteAllBytes(path, damaged);
            Assert.StartsWith(path + ": ", Refusal(folder));
        }
        File.WriteAllBytes(path, clean);
        Assert.Equal(2, new Trainer().Resume(folder, SyntheticData.Splits()).History.Count);
    }

    [Fact]
    public void A_module_tensor_with_a_non_finite_value_is_refused_though_the_checksum_matches()
    {
        using var temp = new TempDirectory();
        var folder = FinishedRun(temp);
        var path = Checkpoint.PathIn(folder);
        var state = Checkpoint.ReadState(path);
        var best = ModelArtifact.Load(Path.Combine(folder, Trainer.BestModelFileName)).Weights;
        using var module = new TorchGraphModule(SyntheticData.Graph().WithoutProbabilityHead(), padChannels: state.PaddedChannels);
        module.LoadWeights(best);
        using (torch.no_grad()) module.state_dict()[best.Names[0]].fill_(float.PositiveInfinity);
        using var optimizer = state.Options.Optimizer.Create(module);
        Checkpoint.Write(path, state, module, optimizer, best);

        Assert.Contains($"module tensor '{best.Names[0]}' holds non-finite values", Refusal(folder));
    }

    [Fact]
    public void Resuming_refuses_a_given_setting_that_differs_and_names_both_values()
    {
        using var temp = new TempDirectory();
        var folder = FinishedRun(temp);
        var asked = Options(folder) with { Seed = 12 };
        var error = Assert.Throws<UserInputException>(() => ResumeSettings.Resolve(folder, asked, new HashSet<string> { "Seed" }));
        Assert.Equal($"{folder}: seed 12 differs from the run's own 11; leave seed out to resume with the run's settings, or start a new run folder", error.Message);
        Assert.Equal("Seed", error.Parameter);
        Assert.Equal($"{folder}: --seed 12 differs from the run's own 11; leave --seed out to resume with the run's settings, or start a new run folder",
            error.MessageNaming(AudioPrune.Cli.ParameterFlags.Flag));
    }

    [Fact]
    public void Resuming_takes_the_settings_not_given_from_the_run_and_lists_them()
    {
        using var temp = new TempDirectory();
        var folder = FinishedRun(temp);
        var asked = new TrainingOptions { Seed = 11, Epochs = 30, RunFolder = folder };
        var run = ResumeSettings.Resolve(folder, asked, new HashSet<string> { "Seed" });
        Assert.Equal(2, run.Options.Epochs);
        Assert.Equal(16, run.Options.BatchSize);
        Assert.Equal(SyntheticData.Graph().Name, run.Network);
        Assert.Equal([("Epochs", "2"), ("LearningRate", "0.001"), ("BatchSize", "16"), ("Optimizer", "adam")], run.FromRun.Take(4));
        Assert.DoesNotContain(run.FromRun, s => s.Parameter == "Seed");
        Assert.Equal(ResumeSettings.Parameters.Count() - 1, run.FromRun.Count);
    }

    [Fact]
    public void Resuming_with_another_network_is_refused()
    {
        using var temp = new TempDirectory();
        Assert.Contains("the run trains another network", Refusal(FinishedRun(temp), SyntheticData.Graph(width1: 6)));
    }

    [Fact]
    public void A_run_folder_has_one_owner_at_a_time_whatever_it_is_called()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.File("run"));
        File.CreateSymbolicLink(temp.File("alias"), temp.File("run"));
        using (TrainingRuns.Own(temp.File("run")))
        {
            var error = Assert.Throws<UserInputException>(() => TrainingRuns.Own(temp.File("alias") + "/"));
            Assert.Equal($"{temp.File("alias")}/: another audioprune process is training in this run folder", error.Message);
            Assert.Throws<UserInputException>(() => TrainingRuns.Own(temp.File("run")));
        }
        using (TrainingRuns.Own(temp.File("alias"))) Assert.True(Directory.Exists(temp.File("run")));
    }
}
