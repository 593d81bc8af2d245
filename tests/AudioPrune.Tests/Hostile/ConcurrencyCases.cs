using System.Diagnostics;
using AudioPrune.Tests.Reliability;

namespace AudioPrune.Tests.Hostile;

/// <summary>
/// Family: two processes on one run folder. While one trains, a second one on the same folder (by the same name,
/// by --run, through a symbolic link, or resuming) is refused at once; once the first is killed, the folder is free.
/// The second runs in its own working folder, since the first one is still writing the run folder.
/// </summary>
[Collection(HostileCollection.Name)]
[Trait("Category", "Slow")]
public sealed class ConcurrencyCases
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromMinutes(1);

    public static TheoryData<string, string[], string> SecondProcesses => new()
    {
        { "../m.safetensors", [.. TrainingScene.Recipe(500)], "../m.safetensors.run" },
        { "../other.safetensors", [.. TrainingScene.Recipe(500), "--run", "../m.safetensors.run"], "../m.safetensors.run" },
        { "../other.safetensors", [.. TrainingScene.Recipe(500), "--run", "../alias.run"], "../alias.run" },
        { "../m.safetensors", ["--resume"], "../m.safetensors.run" },
    };

    [Theory]
    [MemberData(nameof(SecondProcesses))]
    public void ASecondProcessOnATrainingRunFolderIsRefused(string output, string[] more, string runFolder)
    {
        using var scene = new TrainingScene();
        using var first = StartTraining(scene);
        File.CreateSymbolicLink(scene.File("alias.run"), scene.RunFolder);
        Directory.CreateDirectory(scene.File("work"));

        HostileRun.Start(scene.File("work"), TrainingScene.TrainFrom("../", output, more))
            .Refused($"{runFolder}: another audioprune process is training in this run folder");
        Assert.False(first.HasExited, $"the first run ended before the second was tried:\n{first.Output}");
    }

    [Fact]
    public void AKilledRunLeavesItsFolderFree()
    {
        using var scene = new TrainingScene();
        using (var first = StartTraining(scene)) first.Kill();
        Directory.CreateDirectory(scene.File("work"));
        // Past the lock, the resume is checked against the run's settings: the refusal names the seed, not another process.
        HostileRun.Start(scene.File("work"), TrainingScene.TrainFrom("../", "../m.safetensors", "--resume", "--seed", "9"))
            .Refused("--seed 9 differs from the run's own 3");
    }

    /// <summary>A long run on the scene that has finished its first epoch, so it holds the lock and has a checkpoint.</summary>
    private static ChildCli StartTraining(TrainingScene scene)
    {
        scene.TrainInProcess("warm.safetensors"); // fills the cache, so the second process has nothing to compute
        var child = ChildCli.Start(TrainingScene.TrainFrom(scene.Path + "/", scene.File("m.safetensors"), TrainingScene.Recipe(500)));
        var waited = Stopwatch.StartNew();
        while (!child.Output.Contains("epoch 1/500"))
        {
            Assert.False(child.HasExited, $"the first run ended before its first epoch:\n{child.Output}");
            Assert.True(waited.Elapsed < StartLimit, "the first run never finished its first epoch");
            Thread.Sleep(50);
        }
        return child;
    }
}
