using System.Diagnostics;
using System.Text.Json;
using AudioPrune.Common;
using AudioPrune.Data;
using AudioPrune.Graph;
using AudioPrune.Graph.Torch;
using AudioPrune.Reports;
using TorchSharp;

namespace AudioPrune.Training;

/// <summary>
/// The epoch loop with model selection. It is given only the training and validation splits: the test split
/// cannot influence which epoch is kept. Each epoch: set the scheduled rate, seed torch (dropout) and the managed
/// generators (order, augmentation) from (seed, epoch), train, score validation, keep the best weights, and
/// write the checkpoint, the CSV log and the best model to the run folder.
/// </summary>
internal sealed class TrainingRun : IDisposable
{
    private readonly RunState state;
    private readonly NetworkGraph graph;
    private readonly TorchGraphModule module;
    private readonly TrainingStep step;
    private readonly HeadKind head;
    private WeightMap best;

    /// <summary>The teacher whose probabilities the run learns from (when distilling), and those probabilities once computed.</summary>
    private ModelArtifact? teacher;
    private float[]? teacherTargets;

    private TrainingRun(RunState state, NetworkGraph graph, TorchGraphModule module, TrainingStep step, WeightMap best)
    {
        this.state = state;
        this.graph = graph;
        this.module = module;
        this.step = step;
        this.best = best;
        head = ModelHead.Of(graph);
    }

    public RunState State => state;
    public NetworkGraph Graph => graph;
    public HeadKind Head => head;
    private TrainingOptions Options => state.Options;

    public static TrainingRun Start(RunState state, NetworkGraph graph, WeightMap initial)
    {
        var module = TorchGraphModule.Create(graph.WithoutProbabilityHead(), initial);
        var step = new TrainingStep(module, ModelHead.Of(graph), state.Options.Optimizer);
        return new TrainingRun(state with { PaddedChannels = module.PadsChannels }, graph, module, step, initial.Clone());
    }

    public static TrainingRun Resume(string runFolder)
    {
        var path = Checkpoint.PathIn(runFolder);
        TrainingStep? step = null;
        NetworkGraph? graph = null;
        return Checkpoint.Read(path,
            s =>
            {
                graph = AudioPrune.Graph.GraphJson.Parse(s.GraphJson, path);
                var module = new TorchGraphModule(graph.WithoutProbabilityHead(), padChannels: s.PaddedChannels);
                step = new TrainingStep(module, ModelHead.Of(graph), s.Options.Optimizer);
                return (module, step.Optimizer);
            },
            (s, module, _, best) =>
            {
                best.EnsureMatches(graph!, path);
                return new TrainingRun(s with { Options = s.Options with { RunFolder = runFolder } }, graph!, module, step!, best);
            });
    }

    /// <summary>
    /// Sets the teacher of a distilling run; it must be the one the run was started with (same fingerprint), so that a
    /// resumed run learns from the same probabilities.
    /// </summary>
    public void UseTeacher(ModelArtifact? model)
    {
        var expected = Options.Distillation?.Teacher;
        if (expected is null && model is null) return;
        if (expected is null) throw new UserInputException("a teacher was given, but this run does not distil; drop the teacher or start a new run");
        if (model is null) throw new UserInputException("this run distils from a teacher: give the same teacher again to resume it");
        var fingerprint = TeacherFingerprint(model);
        if (fingerprint != expected)
            throw new UserInputException($"the teacher given ({fingerprint}) is not the one this run distils from ({expected}); give that teacher or start a new run");
        teacher = model;
    }

    /// <summary>What identifies a teacher: its network and its weights.</summary>
    public static string TeacherFingerprint(ModelArtifact model) =>
        $"{Pruning.Planning.NetworkFingerprint.Of(model.Graph)}/{Pruning.Planning.NetworkFingerprint.OfWeights(model.Weights)}";

    /// <summary>Trains until the epoch budget or the patience runs out; returns the selected weights.</summary>
    public WeightMap Train(IExampleSet train, IExampleSet validation, IProgress<TrainingEvent>? progress, CancellationToken cancel)
    {
        if (teacher is not null && Options.Distillation is { } distillation)
            teacherTargets ??= Distillation.SoftTargets(teacher, train, distillation.Temperature, Options.EvaluationBatchSize);
        while (!state.Finished)
        {
            cancel.ThrowIfCancellationRequested();
            RunEpoch(state.EpochsDone + 1, train, validation, progress, cancel);
        }
        return best;
    }

    private void RunEpoch(int epoch, IExampleSet train, IExampleSet validation, IProgress<TrainingEvent>? progress, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        var cost = new CostMeter(Options.Cost.PowercapRoot);
        step.LearningRate = Options.Schedule.RateAt(epoch, Options.Epochs, Options.Optimizer.LearningRate);
        torch.manual_seed(RunSeeds.Torch(Options.Seed, epoch));
        var order = Enumerable.Range(0, train.Count).ToArray();
        RunSeeds.Shuffle(Options.Seed, epoch).Shuffle(order);
        var augmentRandom = RunSeeds.Augment(Options.Seed, epoch);
        var augmenter = new Augmenter(Options.Augmentation, train.ExampleShape);
        var batch = new BatchAssembler(train, Options.BatchSize);
        var batches = Batches(order.Length);

        module.train();
        double lossSum = 0;
        int correct = 0, seen = 0;
        for (var b = 0; b < batches; b++)
        {
            cancel.ThrowIfCancellationRequested();
            var count = Math.Min(Options.BatchSize, order.Length - b * Options.BatchSize);
            batch.Load(order.AsSpan(b * Options.BatchSize, count), teacherTargets);
            augmenter.Apply(batch.Features, batch.Targets, count, train.ClassNames.Count, augmentRandom, batch.TeacherTargets);
            StepResult result;
            using (var features = batch.FeatureTensor())
            using (var targets = batch.TargetTensor())
            using (var soft = batch.TeacherTensor())
            {
                result = step.Run(features, targets, soft, Options.Distillation);
            }
            if (!double.IsFinite(result.Loss)) throw Diverged(epoch, b + 1, result.Loss);
            lossSum += result.Loss * count;
            seen += count;
            for (var i = 0; i < count; i++) if (result.Predicted[i] == batch.Labels[i]) correct++;
            progress?.Report(new BatchReport(epoch, b + 1, batches, result.Loss));
        }
        var trainSeconds = clock.Elapsed.TotalSeconds;

        var probabilities = Predictor.Probabilities(module, head, validation, Options.EvaluationBatchSize);
        var labels = Enumerable.Range(0, validation.Count).Select(validation.Label).ToArray();
        var scores = ClassificationMetrics.Compute(probabilities, labels, validation.ClassNames, head);
        var record = new EpochRecord(epoch, lossSum / seen, correct / (double)seen, scores.LogLoss, scores.Accuracy,
            step.LearningRate, clock.Elapsed.TotalSeconds, seen / trainSeconds, cost.CpuSeconds, cost.EnergyJoules());

        var score = Options.Selection == SelectionMetric.ValidationLoss ? scores.LogLoss : scores.Accuracy;
        var improved = state.BestEpoch == 0 || (Options.Selection == SelectionMetric.ValidationLoss ? score < state.BestScore : score > state.BestScore);
        if (improved)
        {
            best = module.ToWeightMap();
            state.BestEpoch = epoch;
            state.BestScore = score;
        }
        state.History.Add(record);
        Persist(improved);
        progress?.Report(new EpochReport(Options.Epochs, record, improved, state.BestEpoch));
    }

    /// <summary>Full batches, plus the remainder unless it is a single example (batch norm cannot train on one).</summary>
    private int Batches(int examples)
    {
        var full = examples / Options.BatchSize;
        var remainder = examples % Options.BatchSize;
        return full + (remainder > 1 || (remainder == 1 && full == 0) ? 1 : 0);
    }

    private void Persist(bool improved)
    {
        if (Options.RunFolder is not { } folder) return;
        Directory.CreateDirectory(folder);
        if (improved) BestArtifact().Save(Path.Combine(folder, Trainer.BestModelFileName));
        TrainingLog.Write(Path.Combine(folder, TrainingLog.FileName), state.History);
        Checkpoint.Write(Checkpoint.PathIn(folder), state, module, step.Optimizer, best);
    }

    /// <summary>The weights after the last epoch run.</summary>
    public WeightMap CurrentWeights() => module.ToWeightMap();

    public TrainingRecord Record() => new(
        Options.Init, state.BestEpoch, Options.Selection, state.BestScore, state.EpochsDone, Options.Epochs,
        state.StoppedEarly, Options.Patience, Options.DataFraction, state.TrainExamples, state.ValidationExamples,
        Options.Seed, state.Threads, Options.BatchSize, Options.Optimizer, Options.Schedule, Options.Augmentation, head,
        TrainingCost.Of(state.History, Options.Cost), Options.Distillation);

    /// <summary>The selected weights as a model: the start's graph, the data's class names, its metadata plus the training record.</summary>
    public ModelArtifact BestArtifact() =>
        ModelArtifact.Create(graph, best, state.Labels, state.StartMetadata)
            .WithMetadata(ModelArtifact.TrainingKey, JsonSerializer.Serialize(Record(), ReportJson.Options));

    private UserInputException Diverged(int epoch, int batch, double loss)
    {
        var kept = Options.RunFolder is { } folder && state.EpochsDone > 0
            ? $"the last good checkpoint (epoch {state.EpochsDone}) and the best model so far (epoch {state.BestEpoch}) are kept in {folder}"
            : "no epoch had finished, so nothing was saved";
        return new UserInputException(
            $"training diverged: the loss became {loss} in epoch {epoch}, batch {batch}; {kept}; lower the learning rate (it was {step.LearningRate:G3}) or check the features for non-finite values");
    }

    public void Dispose()
    {
        step.Dispose();
        module.Dispose();
    }
}
