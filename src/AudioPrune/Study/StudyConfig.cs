using AudioPrune.Audio;
using AudioPrune.Benchmarking;
using AudioPrune.Training;

namespace AudioPrune.Study;

/// <summary>A named set of conv layers to prune together, e.g. the papers' "C1+C2" = conv1, conv2.</summary>
internal sealed record LayerSet(string Name, IReadOnlyList<string> Layers)
{
    /// <summary>The --layers text the pruning planner reads (null = every conv layer).</summary>
    public string? Selector => Layers.Count == 0 ? null : string.Join(",", Layers);
}

/// <summary>How far to prune. Null ratio and keep: the similarity criteria choose their own counts.</summary>
internal sealed record PruneAmount(double? Ratio = null, IReadOnlyList<int>? Keep = null, string? MatchCriterion = null);

/// <summary>
/// Whether the pruned arms' fine-tuning distils from the unpruned parent: <see cref="Modes"/> lists false (plain), true
/// (distilled) or both, so that a study compares fine-tuning with and without the teacher.
/// </summary>
internal sealed record StudyDistillation(IReadOnlyList<bool> Modes, double Weight, double Temperature)
{
    public static StudyDistillation Off { get; } = new([false], DistillationSettings.DefaultWeight, DistillationSettings.DefaultTemperature);

    public DistillationSettings Settings => new(Weight, Temperature);
}

/// <summary>folds: all, or the listed fold numbers.</summary>
internal sealed record StudyFolds(bool All, IReadOnlyList<int> Listed);

/// <summary>Settings of one training stage (the baseline or the fine-tuning).</summary>
internal sealed record TrainStage(bool Enabled, int Epochs, int BatchSize, double LearningRate, int? Patience)
{
    public TrainingOptions ToOptions(int seed, int threads, InitMode init, double fraction, string runFolder) => new()
    {
        Optimizer = new OptimizerSettings { LearningRate = LearningRate },
        BatchSize = BatchSize,
        Epochs = Epochs,
        Patience = Patience,
        Seed = seed,
        Threads = threads,
        Init = init,
        DataFraction = fraction,
        RunFolder = runFolder,
    };
}

/// <summary>
/// A declarative pruning study: the data, the model, the criteria and layer sets, the fine-tuning data
/// fractions, initialisations and seeds. Every combination is an independent job with its own folder.
/// </summary>
internal sealed record StudyConfig
{
    public required string Name { get; init; }

    /// <summary>A dataset folder or manifest, or null for the built-in synthetic scenes (<see cref="Synthetic"/>).</summary>
    public string? Data { get; init; }
    public SyntheticSceneOptions Synthetic { get; init; } = new();
    public string? Cache { get; init; }

    public required string Model { get; init; }
    public string? Preset { get; init; }
    public required TrainStage Baseline { get; init; }

    public required IReadOnlyList<string> Criteria { get; init; }
    public required IReadOnlyList<LayerSet> LayerSets { get; init; }
    public PruneAmount Amount { get; init; } = new();
    public string Representation { get; init; } = "rank1";

    public IReadOnlyList<double> Fractions { get; init; } = [1.0];
    public IReadOnlyList<InitMode> Inits { get; init; } = [InitMode.Pruned];
    public IReadOnlyList<int> Seeds { get; init; } = [0];
    public required TrainStage Finetune { get; init; }
    public StudyDistillation Distillation { get; init; } = StudyDistillation.Off;

    /// <summary>The test folds to run in turn (null: the dataset's one split).</summary>
    public StudyFolds? Folds { get; init; }
    /// <summary>Whether the unpruned parent is fine-tuned with the same schedule, per data fraction and seed, as the control arm.</summary>
    public bool Control { get; init; } = true;

    public int Threads { get; init; } = Math.Max(1, Environment.ProcessorCount);
    public LatencySettings Latency { get; init; } = new(Runs: 30, Warmup: 5);
}
