using System.Globalization;
using AudioPrune.Data;
using AudioPrune.Graph;

namespace AudioPrune.Training;

/// <summary>
/// Starting or continuing a run from its run folder, shared by the train and finetune commands and the study
/// runner: a run folder that holds a checkpoint is resumed, otherwise a new run starts.
/// </summary>
public static class TrainingRuns
{
    /// <summary>Trains, or resumes the interrupted run when the run folder holds a checkpoint.</summary>
    public static TrainingResult FitOrResume(ModelArtifact model, DataSplits data, TrainingOptions options,
        IProgress<TrainingEvent>? progress = null, CancellationToken cancel = default)
    {
        var trainer = new Trainer();
        return options.RunFolder is { } folder && HasCheckpoint(folder)
            ? trainer.Resume(folder, data, progress, cancel)
            : trainer.Fit(model, data, options, progress, cancel);
    }

    public static bool HasCheckpoint(string runFolder) => File.Exists(Checkpoint.PathIn(runFolder));

    /// <summary>The one-line summary of a finished epoch.</summary>
    public static string EpochLine(EpochReport r) =>
        string.Create(CultureInfo.InvariantCulture,
            $"epoch {r.Record.Epoch}/{r.Epochs}: train loss {r.Record.TrainLoss:0.000}, validation accuracy {r.Record.ValidationAccuracy:P1}{(r.IsBest ? " (best)" : "")}");
}
