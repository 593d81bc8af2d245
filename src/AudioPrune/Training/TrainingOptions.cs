using System.Text.Json.Serialization;
using AudioPrune.Common;

namespace AudioPrune.Training;

[JsonConverter(typeof(JsonStringEnumConverter<SelectionMetric>))]
internal enum SelectionMetric { ValidationAccuracy, ValidationLoss }

[JsonConverter(typeof(JsonStringEnumConverter<InitMode>))]
internal enum InitMode
{
    /// <summary>Start from the given weights (fine-tuning a pruned network).</summary>
    Pruned,
    /// <summary>Same architecture, re-initialised from the seed (the paper's from-scratch comparison).</summary>
    Random,
}

/// <summary>
/// Everything that defines a training run. Defaults follow the spec's fine-tuning recipe (Adam, lr 1e-3,
/// batch 32; use <see cref="ForModel"/> for VGGish's batch 64). One seed drives initialisation, data order,
/// augmentation and dropout; Threads (when set) fixes torch's intra-op threads, which bitwise repeatability needs.
/// </summary>
internal sealed record TrainingOptions
{
    public OptimizerSettings Optimizer { get; init; } = new();
    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.Constant;
    public AugmentationSettings Augmentation { get; init; } = AugmentationSettings.None;
    public int BatchSize { get; init; } = 32;
    public int Epochs { get; init; } = 30;
    public SelectionMetric Selection { get; init; } = SelectionMetric.ValidationAccuracy;

    /// <summary>Stop after this many epochs without a better validation score; null trains all epochs.</summary>
    public int? Patience { get; init; }

    public InitMode Init { get; init; } = InitMode.Pruned;
    public int Seed { get; init; } = 1;
    public int? Threads { get; init; }

    /// <summary>The fraction of the training split the caller kept (recorded only; the data side draws the subset).</summary>
    public double DataFraction { get; init; } = 1.0;

    /// <summary>Folder for the per-epoch checkpoint, the CSV log and the best model; null keeps nothing on disk.</summary>
    public string? RunFolder { get; init; }

    /// <summary>Distillation from a teacher; null trains on the labels alone.</summary>
    public DistillationSettings? Distillation { get; init; }

    /// <summary>How the run's energy and CO2 are estimated (<see cref="TrainingCost"/>).</summary>
    public CostSettings Cost { get; init; } = new();

    /// <summary>Batch size for validation and evaluation passes (no gradients, so larger is fine).</summary>
    public int EvaluationBatchSize { get; init; } = 64;

    /// <summary>The spec's defaults for a zoo network: batch 64 for vggish, 32 otherwise.</summary>
    public static TrainingOptions ForModel(string graphName) =>
        new() { BatchSize = graphName.Equals("vggish", StringComparison.OrdinalIgnoreCase) ? 64 : 32 };

    public void Validate()
    {
        Optimizer.Validate();
        Schedule.Validate();
        Augmentation.Validate();
        Cost.Validate();
        Distillation?.Validate();
        if (BatchSize < 1) throw new UserInputException($"batch size must be at least 1, got {BatchSize}");
        if (EvaluationBatchSize < 1) throw new UserInputException($"evaluation batch size must be at least 1, got {EvaluationBatchSize}");
        if (Epochs < 1) throw new UserInputException($"epochs must be at least 1, got {Epochs}");
        if (Patience is < 1) throw new UserInputException($"patience must be at least 1 epoch, got {Patience}");
        if (Threads is < 1) throw new UserInputException($"threads must be at least 1, got {Threads}");
        if (!(DataFraction > 0 && DataFraction <= 1)) throw new UserInputException($"data fraction must be in (0, 1], got {DataFraction}");
    }
}
