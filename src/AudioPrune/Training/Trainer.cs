using AudioPrune.Common;
using AudioPrune.Data;
using AudioPrune.Graph;
using TorchSharp;

namespace AudioPrune.Training;

/// <summary>
/// Trains or fine-tunes a model and picks the epoch on the validation split. <see cref="Fit"/> starts a run,
/// <see cref="Resume"/> continues one from its run folder and reaches the same weights as an uninterrupted run
/// (same seed and thread count). The test split is checked up front and scored once at the end; the selection
/// loop (<see cref="TrainingRun"/>) never sees it.
/// </summary>
internal sealed class Trainer
{
    public const string BestModelFileName = "best.safetensors";

    /// <summary>Trains from <paramref name="start"/>; with distillation options, from <paramref name="teacher"/>'s probabilities too.</summary>
    public TrainingResult Fit(ModelArtifact start, DataSplits data, TrainingOptions options,
        IProgress<TrainingEvent>? progress = null, CancellationToken cancel = default, ModelArtifact? teacher = null)
    {
        options.Validate();
        if ((options.Distillation is null) != (teacher is null))
            throw new UserInputException(teacher is null ? "distillation needs a teacher model" : "a teacher was given without distillation settings");
        if (teacher is not null) options = options with { Distillation = options.Distillation! with { Teacher = TrainingRun.TeacherFingerprint(teacher) } };
        DataChecks.EnsureTrainable(data);
        DataChecks.EnsureFits(start.Graph, data.Train, "training data");
        DataChecks.EnsureLabelsAgree(start.Labels, data.Train.ClassNames, requireSameNames: false);
        if (options.Augmentation.UsesMasks && data.Train.ExampleShape.Rank != 3)
            throw new UserInputException($"time/frequency masking needs [C, H, W] examples, got {data.Train.ExampleShape}; switch the masks off");
        if (options.RunFolder is { } folder && File.Exists(Checkpoint.PathIn(folder)))
            throw new UserInputException($"{folder} already holds a training checkpoint: resume that run, or choose a new run folder");

        if (options.Threads is { } threads) torch.set_num_threads(threads);
        var initial = options.Init == InitMode.Random ? WeightInitializer.Initialize(start.Graph, options.Seed) : start.Weights;
        var state = new RunState
        {
            Options = options,
            GraphJson = GraphJson.Serialize(start.Graph),
            Labels = data.Train.ClassNames.ToArray(),
            StartMetadata = start.Metadata.Where(kv => kv.Key != ModelArtifact.TrainingKey).ToDictionary(kv => kv.Key, kv => kv.Value),
            Threads = torch.get_num_threads(),
            DataFingerprint = DataFingerprint.Of(data.Train, data.Validation),
            TrainExamples = data.Train.Count,
            ValidationExamples = data.Validation.Count,
        };
        using var run = TrainingRun.Start(state, start.Graph, initial);
        run.UseTeacher(teacher);
        return Complete(run, data, progress, cancel);
    }

    /// <summary>
    /// Continues the run whose checkpoint is in <paramref name="runFolder"/> on the same data; when <paramref name="start"/>
    /// is given, it must be the network the run started from.
    /// </summary>
    public TrainingResult Resume(string runFolder, DataSplits data, IProgress<TrainingEvent>? progress = null, CancellationToken cancel = default,
        NetworkGraph? start = null, ModelArtifact? teacher = null)
    {
        DataChecks.EnsureTrainable(data);
        using var run = TrainingRun.Resume(runFolder);
        run.UseTeacher(teacher);
        if (start is not null && GraphJson.Serialize(start) != run.State.GraphJson)
            throw new UserInputException(
                $"{runFolder}: the run trains another network ('{run.Graph.Name}', input {run.Graph.Input}, {run.Graph.OutputShape[0]} outputs) than the model given ('{start.Name}', input {start.Input}, {start.OutputShape[0]} outputs); resume with the model the run started from, or start a new run folder");
        if (DataFingerprint.Of(data.Train, data.Validation) != run.State.DataFingerprint)
            throw new UserInputException($"{runFolder}: the run was trained on other training/validation data; resume with the same data (and fraction) or start a new run");
        DataChecks.EnsureFits(run.Graph, data.Train, "training data");
        // Bitwise continuation needs the thread count the run started with.
        torch.set_num_threads(run.State.Threads);
        return Complete(run, data, progress, cancel);
    }

    private static TrainingResult Complete(TrainingRun run, DataSplits data, IProgress<TrainingEvent>? progress, CancellationToken cancel)
    {
        run.Train(data.Train, data.Validation, progress, cancel);
        var best = run.BestArtifact();
        if (run.State.Options.RunFolder is { } folder) best.Save(Path.Combine(folder, BestModelFileName));
        var batchSize = run.State.Options.EvaluationBatchSize;
        var validation = Evaluator.Evaluate(best, data.Validation, batchSize);
        var test = data.Test.Count > 0 ? Evaluator.Evaluate(best, data.Test, batchSize) : null;
        return new TrainingResult(best, run.Record(), run.State.History.ToArray(), validation, test, run.State.Options.RunFolder,
            run.CurrentWeights());
    }
}
