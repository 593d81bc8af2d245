using AudioPrune.Audio;
using AudioPrune.Benchmarking;

namespace AudioPrune.Study;

/// <summary>
/// The quickstart: the built-in synthetic scenes, DCASE21_Net trained on them, pruned in all three conv layers by
/// similarity and Nystrom (their own counts) and by l1 at the same counts, each fine-tuned, evaluated, exported and timed.
/// The small version is the same study on less data and fewer epochs: a quick check that everything runs.
/// </summary>
internal static class BuiltInStudies
{
    public static StudyConfig Quickstart(bool small) => new()
    {
        Name = small ? "quickstart-small" : "quickstart",
        Synthetic = small
            ? new SyntheticSceneOptions { Clips = 64, Classes = 4, Seed = 0 }
            : new SyntheticSceneOptions { Clips = 400, Classes = 8, Seed = 0 },
        Model = "dcase21",
        Baseline = small ? new TrainStage(true, 4, 16, 1e-3, null) : new TrainStage(true, 20, 32, 1e-3, 6),
        Criteria = ["similarity", "nystrom", "l1"],
        LayerSets = [new LayerSet("C123", ["conv1", "conv2", "conv3"])],
        Amount = new PruneAmount(MatchCriterion: "similarity"),
        Finetune = small ? new TrainStage(true, 2, 16, 1e-3, null) : new TrainStage(true, 10, 32, 1e-3, 4),
        Latency = small ? new LatencySettings(Runs: 5, Warmup: 2) : new LatencySettings(Runs: 50, Warmup: 10),
    };
}
