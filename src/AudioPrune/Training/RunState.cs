using System.Text.Json.Serialization;

namespace AudioPrune.Training;

/// <summary>
/// The managed part of a run's checkpoint: settings, what the run started from, and progress so far.
/// Together with the module and optimiser tensors it is all a resumed run needs, because every epoch's
/// randomness is derived from (seed, epoch).
/// </summary>
internal sealed record RunState
{
    public required TrainingOptions Options { get; init; }
    public required string GraphJson { get; init; }
    public required IReadOnlyList<string> Labels { get; init; }
    public required IReadOnlyDictionary<string, string> StartMetadata { get; init; }
    public required int Threads { get; init; }
    public required string DataFingerprint { get; init; }
    public required int TrainExamples { get; init; }
    public required int ValidationExamples { get; init; }

    /// <summary>
    /// Whether the module ran with its channels padded to whole blocks (the checkpoint's tensors have those shapes);
    /// a resumed run builds the same module, on any CPU. Checkpoints from before the padding lack it: false.
    /// </summary>
    public bool PaddedChannels { get; init; }
    public List<EpochRecord> History { get; init; } = [];
    public int BestEpoch { get; set; }
    public double BestScore { get; set; }

    [JsonIgnore]
    public int EpochsDone => History.Count;

    [JsonIgnore]
    public bool Finished =>
        EpochsDone >= Options.Epochs || (Options.Patience is { } patience && BestEpoch > 0 && EpochsDone - BestEpoch >= patience);

    [JsonIgnore]
    public bool StoppedEarly => Finished && EpochsDone < Options.Epochs;

    /// <summary>Throws <see cref="InvalidDataException"/> when the state (as read from a checkpoint) cannot be a run's.</summary>
    public void EnsureValid()
    {
        try
        {
            Options.Validate();
        }
        catch (UserInputException e)
        {
            throw new InvalidDataException($"its settings are impossible: {e.Message}");
        }
        if (GraphJson is null || Labels is null || StartMetadata is null || History is null || Labels.Count == 0)
            throw new InvalidDataException("its state lacks the network, the labels or the history");
        if (Threads < 1 || TrainExamples < 1 || ValidationExamples < 0)
            throw new InvalidDataException($"its state is impossible ({Threads} threads, {TrainExamples} training examples)");
        if (EpochsDone > Options.Epochs || BestEpoch < 0 || BestEpoch > EpochsDone || (BestEpoch > 0 && !double.IsFinite(BestScore)))
            throw new InvalidDataException($"its progress is impossible (best epoch {BestEpoch} of {EpochsDone} done, {Options.Epochs} planned, best score {BestScore})");
        for (var i = 0; i < History.Count; i++)
            if (History[i] is null || History[i].Epoch != i + 1) throw new InvalidDataException($"its history does not list epochs 1 to {EpochsDone} in order");
    }
}
