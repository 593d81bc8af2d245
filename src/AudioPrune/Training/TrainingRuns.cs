using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AudioPrune.Common;
using AudioPrune.Data;
using AudioPrune.Graph;

namespace AudioPrune.Training;

/// <summary>
/// Starting or continuing a run from its run folder, shared by the train and finetune commands and the study
/// runner: a run folder that holds a checkpoint is resumed, otherwise a new run starts.
/// </summary>
internal static class TrainingRuns
{
    /// <summary>Trains, or resumes the interrupted run when the run folder holds a checkpoint (which must be of <paramref name="model"/>'s network).</summary>
    public static TrainingResult FitOrResume(ModelArtifact model, DataSplits data, TrainingOptions options,
        IProgress<TrainingEvent>? progress = null, CancellationToken cancel = default, ModelArtifact? teacher = null)
    {
        var trainer = new Trainer();
        return options.RunFolder is { } folder && HasCheckpoint(folder)
            ? trainer.Resume(folder, data, progress, cancel, model.Graph, teacher)
            : trainer.Fit(model, data, options, progress, cancel, teacher);
    }

    public static bool HasCheckpoint(string runFolder) => File.Exists(Checkpoint.PathIn(runFolder));

    /// <summary>
    /// Makes this process the run folder's one owner until disposed: an exclusive lock on a file in the temporary folder
    /// named after the run folder's real path (so aliases of one folder share it, and the run folder itself is not
    /// touched). The operating system drops it when the process dies, so a killed run can be resumed.
    /// </summary>
    public static IDisposable Own(string runFolder)
    {
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.TrimEndingDirectorySeparator(FileEntry.RealPath(runFolder)))))[..32];
        return FileLock.TryAcquire(Path.Combine(Path.GetTempPath(), "audioprune-run-locks", key + ".lock"))
               ?? throw new UserInputException($"{runFolder}: another audioprune process is training in this run folder");
    }

    /// <summary>The one-line summary of a finished epoch.</summary>
    public static string EpochLine(EpochReport r) =>
        string.Create(CultureInfo.InvariantCulture,
            $"epoch {r.Record.Epoch}/{r.Epochs}: train loss {r.Record.TrainLoss:0.000}, validation accuracy {r.Record.ValidationAccuracy:P1}{(r.IsBest ? " (best)" : "")}");
}
