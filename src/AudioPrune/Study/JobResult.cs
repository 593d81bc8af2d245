using AudioPrune.Benchmarking;

namespace AudioPrune.Study;

internal static class JobKinds
{
    public const string Baseline = "baseline";
    public const string Prune = "prune";
    public const string Finetune = "finetune";
    /// <summary>The unpruned parent fine-tuned with the pruned models' schedule.</summary>
    public const string Control = "control";
}

/// <summary>
/// What one study job measured, written as result.json in the job's folder when the job is complete (its
/// presence is what lets an interrupted study skip the job on re-run). Paths are relative to the study folder.
/// </summary>
internal sealed record JobResult
{
    public required string Id { get; init; }
    public required string Kind { get; init; }
    public string? Criterion { get; init; }
    public string? LayerSet { get; init; }
    public double Fraction { get; init; } = 1.0;
    public string Init { get; init; } = "pruned";
    public int Seed { get; init; }

    /// <summary>The test fold of a study that runs a dataset's folds (null: its one split).</summary>
    public int? Fold { get; init; }

    /// <summary>Whether the fine-tuning distilled from the unpruned parent.</summary>
    public bool Distilled { get; init; }

    public required long ParamsTotal { get; init; }
    public required long ParamsTrainable { get; init; }
    public required long Macs { get; init; }
    public required IReadOnlyDictionary<string, int> ConvWidths { get; init; }

    public double? TestAccuracy { get; init; }
    public double? TestLogLoss { get; init; }
    public double? ValidationAccuracy { get; init; }
    public int? SelectedEpoch { get; init; }
    public double? AccuracyBeforeFinetune { get; init; }
    public double? ImportanceSeconds { get; init; }
    public LatencyResult? Latency { get; init; }

    /// <summary>What the job's training cost (wall and CPU time, energy, CO2: an estimate, docs/studies.md); null when it trained nothing.</summary>
    public Training.TrainingCost? Cost { get; init; }

    public required double Seconds { get; init; }
    public required string Model { get; init; }
    public string? Onnx { get; init; }
    public string? Plan { get; init; }
}
