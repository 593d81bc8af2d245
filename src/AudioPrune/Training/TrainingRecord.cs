namespace AudioPrune.Training;

/// <summary>
/// What a trained model records about its training (JSON under ModelArtifact.TrainingKey): the selected epoch
/// and its validation score, and everything needed to repeat the run.
/// </summary>
internal sealed record TrainingRecord(
    InitMode Init,
    int BestEpoch,
    SelectionMetric SelectionMetric,
    double SelectionValue,
    int EpochsRun,
    int EpochsPlanned,
    bool StoppedEarly,
    int? Patience,
    double DataFraction,
    int TrainExamples,
    int ValidationExamples,
    int Seed,
    int Threads,
    int BatchSize,
    OptimizerSettings Optimizer,
    LearningRateSchedule Schedule,
    AugmentationSettings Augmentation,
    HeadKind Head,
    TrainingCost? Cost = null,
    DistillationSettings? Distillation = null);
