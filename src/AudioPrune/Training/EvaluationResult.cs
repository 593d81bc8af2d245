namespace AudioPrune.Training;

/// <summary>
/// A model's scores on one example set: per example, and per clip (the mean of the probabilities of all
/// segments or patches sharing a clip id). Serialises with ReportJson.Options.
/// </summary>
internal sealed record EvaluationResult(
    string Model,
    HeadKind Head,
    int Examples,
    int Clips,
    IReadOnlyList<string> ClassNames,
    ClassificationMetrics ExampleLevel,
    ClassificationMetrics ClipLevel);
