namespace AudioPrune.Training;

/// <summary>What a training run reports as it goes: a <see cref="BatchReport"/> per batch, an <see cref="EpochReport"/> per epoch.</summary>
internal abstract record TrainingEvent;

internal sealed record BatchReport(int Epoch, int Batch, int Batches, double Loss) : TrainingEvent;

/// <summary>Sent after the epoch's checkpoint is on disk, so stopping the process at this point loses nothing.</summary>
internal sealed record EpochReport(int Epochs, EpochRecord Record, bool IsBest, int BestEpoch) : TrainingEvent;

/// <summary>
/// One line of the training history (and of the CSV log). <see cref="CpuSeconds"/> is the process's CPU time in the
/// epoch; <see cref="EnergyJoules"/> the RAPL package energy, where the machine exposes readable counters.
/// </summary>
internal sealed record EpochRecord(
    int Epoch,
    double TrainLoss,
    double TrainAccuracy,
    double ValidationLoss,
    double ValidationAccuracy,
    double LearningRate,
    double Seconds,
    double SamplesPerSecond,
    double CpuSeconds = 0,
    double? EnergyJoules = null);
