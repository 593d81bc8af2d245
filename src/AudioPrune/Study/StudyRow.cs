namespace AudioPrune.Study;

/// <summary>
/// One line of the study's table: a configuration (layer set, criterion, initialisation, data fraction) with its
/// size, cost and accuracy, the accuracy aggregated over seeds (mean and sample standard deviation).
/// </summary>
internal sealed record StudyRow
{
    public required string Configuration { get; init; }
    public string? LayerSet { get; init; }
    public string? Criterion { get; init; }
    public string Init { get; init; } = "pruned";
    public double Fraction { get; init; } = 1.0;
    public required IReadOnlyDictionary<string, int> ConvWidths { get; init; }

    public required long ParamsTotal { get; init; }
    public required long ParamsTrainable { get; init; }
    public required long Macs { get; init; }
    public long BytesFp32 => ParamsTotal * 4;
    public long BytesFp16 => ParamsTotal * 2;
    public long BytesInt8 => ParamsTotal;

    public double? AccuracyBeforeFinetune { get; init; }
    public double? AccuracyMean { get; init; }
    public double? AccuracyStd { get; init; }
    public double? LogLossMean { get; init; }
    public double? LogLossStd { get; init; }
    public int Runs { get; init; }

    public double? LatencyMs { get; init; }
    public double? MeasuredSpeedup { get; init; }
    public double? MacsRatio { get; init; }
    /// <summary>Parent over model multiply-adds the latency engine's kernels really do (padded channel blocks included).</summary>
    public double? ExecutedMacsRatio { get; init; }
    public double? ImportanceSeconds { get; init; }

    /// <summary>The jobs this row aggregates.</summary>
    public required IReadOnlyList<string> Jobs { get; init; }
}
