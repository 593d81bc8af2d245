using AudioPrune.Common;
using AudioPrune.Data;
using AudioPrune.Training;

namespace AudioPrune;

/// <summary>
/// How to fine-tune: the method's recipe by default (Adam, learning rate 1e-3, batch 32, 30 epochs, the epoch with the
/// best validation accuracy), on all or a seeded class-stratified part of the training split.
/// </summary>
public sealed record FineTuneOptions
{
    public int Epochs { get; init; } = 30;

    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Examples per batch (null: 32, or 64 for vggish).</summary>
    public int? BatchSize { get; init; }

    /// <summary>The fraction of the training split to fine-tune on; validation and test are never reduced.</summary>
    public double Fraction { get; init; } = 1.0;

    /// <summary>Seed of data order, augmentation, dropout and the training subset.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Stop after this many epochs without a better validation score (null: train every epoch).</summary>
    public int? Patience { get; init; }

    /// <summary>Start from fresh weights of the same architecture instead of the model's own (the from-scratch comparison).</summary>
    public bool FromScratch { get; init; }

    /// <summary>Front-end preset name or a .json settings file, for a model that stores none (null: the model's own).</summary>
    public string? Preset { get; init; }

    /// <summary>Torch and feature threads (null: the machine's cores); fixing it makes runs repeatable bit for bit.</summary>
    public int? Threads { get; init; }

    /// <summary>Feature cache folder (null: ~/.cache/audioprune/features).</summary>
    public string? CacheDirectory { get; init; }

    /// <summary>Folder for the checkpoint and the CSV log, so that an interrupted run resumes (null: nothing is kept).</summary>
    public string? RunFolder { get; init; }

    /// <summary>
    /// Distil from this model (usually the unpruned parent): the loss becomes (1 - w) cross-entropy + w T^2
    /// KL(teacher || student) at temperature T; null trains on the labels alone.
    /// </summary>
    public AudioPruneModel? Teacher { get; init; }

    /// <summary>w in [0, 1], with a <see cref="Teacher"/>.</summary>
    public double DistillationWeight { get; init; } = Training.DistillationSettings.DefaultWeight;

    /// <summary>T above 0, with a <see cref="Teacher"/>.</summary>
    public double Temperature { get; init; } = Training.DistillationSettings.DefaultTemperature;

    /// <summary>Receives one line per finished epoch and each warning.</summary>
    public IProgress<string>? Progress { get; init; }
}

/// <summary>The fine-tuned model (the selected epoch's weights) and how it scored.</summary>
/// <param name="Model">The model at the selected epoch.</param>
/// <param name="BestEpoch">The epoch selected on the validation split.</param>
/// <param name="EpochsRun">Epochs trained (fewer than asked for when patience stopped the run).</param>
/// <param name="ValidationAccuracy">Clip-level accuracy on the validation split at the selected epoch.</param>
/// <param name="TestAccuracy">Clip-level accuracy on the test split (null when the dataset has none).</param>
public sealed record FineTuneResult(AudioPruneModel Model, int BestEpoch, int EpochsRun, double ValidationAccuracy, double? TestAccuracy);

/// <summary>The library's fine-tuning: the same steps as 'audioprune finetune', without the command line.</summary>
internal static class FineTuning
{
    public static FineTuneResult Run(AudioPruneModel model, string data, FineTuneOptions options, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!(options.Fraction > 0 && options.Fraction <= 1))
            throw new UserInputException($"{{@Fraction}} must be in (0, 1], got {options.Fraction}");
        using var owner = options.RunFolder is { } folder ? TrainingRuns.Own(folder) : null;
        var splits = new SplitOptions { TrainFraction = options.Fraction, SubsetSeed = options.Seed };
        var load = new DatasetLoadOptions
        {
            CacheDirectory = options.CacheDirectory, Threads = options.Threads, Splits = splits,
            Warning = options.Progress is { } p ? line => p.Report($"warning: {line}") : null,
        };
        using var loaded = ModelData.Load(model.Artifact, data, load, reuseModelNormalization: true, options.Preset);
        var start = ModelData.WithDataSettings(model.Artifact, loaded);
        var graph = start.Graph.Name;
        var training = TrainingOptions.ForModel(graph) with
        {
            Optimizer = new OptimizerSettings { LearningRate = options.LearningRate },
            BatchSize = options.BatchSize ?? TrainingOptions.ForModel(graph).BatchSize,
            Epochs = options.Epochs,
            Patience = options.Patience,
            Init = options.FromScratch ? InitMode.Random : InitMode.Pruned,
            Seed = options.Seed,
            Threads = options.Threads,
            DataFraction = options.Fraction,
            RunFolder = options.RunFolder,
            Distillation = options.Teacher is null ? null : new DistillationSettings(options.DistillationWeight, options.Temperature),
        };
        var progress = options.Progress is { } report
            ? new EpochLines(report)
            : null;
        var result = TrainingRuns.FitOrResume(start, loaded.Splits, training, progress, cancel, options.Teacher?.Artifact);
        return new FineTuneResult(new AudioPruneModel(result.Best), result.Record.BestEpoch, result.Record.EpochsRun,
            result.Validation.ClipLevel.Accuracy, result.Test?.ClipLevel.Accuracy);
    }

    /// <summary>Turns the trainer's epoch reports into the lines the command line prints.</summary>
    private sealed class EpochLines(IProgress<string> lines) : IProgress<TrainingEvent>
    {
        public void Report(TrainingEvent value)
        {
            if (value is EpochReport epoch) lines.Report(TrainingRuns.EpochLine(epoch));
        }
    }
}
