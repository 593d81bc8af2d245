using System.Text.Json.Serialization;

namespace AudioPrune.Study;

/// <summary>
/// One line of the study's table: a configuration (layer set, criterion, initialisation, data fraction) with its
/// size, cost and accuracy, the accuracy aggregated over seeds (mean, sample standard deviation and t interval).
/// </summary>
internal sealed record StudyRow
{
    public required string Configuration { get; init; }
    /// <summary>The kind of job the row aggregates: the baseline, the equal-schedule control or a fine-tuned pruned arm.</summary>
    public required string Kind { get; init; }
    public string? LayerSet { get; init; }
    public string? Criterion { get; init; }
    public string Init { get; init; } = "pruned";
    public double Fraction { get; init; } = 1.0;

    /// <summary>Whether the row's fine-tuning distilled from the unpruned parent.</summary>
    public bool Distilled { get; init; }
    public required IReadOnlyDictionary<string, int> ConvWidths { get; init; }

    public required long ParamsTotal { get; init; }
    public required long ParamsTrainable { get; init; }
    public required long Macs { get; init; }
    public long BytesFp32 => ParamsTotal * 4;
    public long BytesFp16 => ParamsTotal * 2;
    public long BytesInt8 => ParamsTotal;

    public double? AccuracyBeforeFinetune { get; init; }
    public MeanInterval? TestAccuracy { get; init; }

    /// <summary>In a study that runs folds, the test accuracy of each test fold's runs (over seeds), by fold number.</summary>
    public IReadOnlyDictionary<string, MeanInterval>? TestAccuracyPerFold { get; init; }
    public double? AccuracyMean => TestAccuracy?.Mean;
    public double? AccuracyStd => TestAccuracy?.Sd;
    public double? LogLossMean { get; init; }
    public double? LogLossStd { get; init; }
    public int Runs { get; init; }

    public double? LatencyMs { get; init; }
    public double? MeasuredSpeedup { get; init; }
    public double? MacsRatio { get; init; }
    /// <summary>Parent over model multiply-adds the latency engine's kernels really do (padded channel blocks included).</summary>
    public double? ExecutedMacsRatio { get; init; }
    public double? ImportanceSeconds { get; init; }

    /// <summary>Mean training cost per run of the row (null when its jobs recorded none): an estimate, docs/studies.md.</summary>
    public double? WallSeconds { get; init; }
    public double? CpuSeconds { get; init; }
    public double? EnergyWh { get; init; }
    public double? Co2G { get; init; }

    /// <summary>How the energy was found: "rapl" or "cpu-time" (CPU seconds x watts per core).</summary>
    public string? EnergySource { get; init; }

    /// <summary>The jobs this row aggregates.</summary>
    public required IReadOnlyList<string> Jobs { get; init; }

    /// <summary>Each run's test accuracy by what pairs it with the runs of other rows.</summary>
    [JsonIgnore] public IReadOnlyDictionary<RunKey, double> RunAccuracies { get; init; } = new Dictionary<RunKey, double>();
}
