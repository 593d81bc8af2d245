namespace AudioPrune.Training;

/// <summary>
/// The outcome of a run: the model of the epoch the validation split selected (with its training record in the
/// metadata), the history, the selected model's scores on validation and, reported only, on test, and the
/// weights after the last epoch run (which exact resumption reproduces).
/// </summary>
internal sealed record TrainingResult(
    Graph.ModelArtifact Best,
    TrainingRecord Record,
    IReadOnlyList<EpochRecord> History,
    EvaluationResult Validation,
    EvaluationResult? Test,
    string? RunFolder,
    Graph.WeightMap FinalWeights);
