using System.Diagnostics;
using System.Globalization;
using AudioPrune.Audio;
using AudioPrune.Benchmarking;
using AudioPrune.Common;
using AudioPrune.Data;
using AudioPrune.Graph;
using AudioPrune.Interop;
using AudioPrune.Interop.Onnx;
using AudioPrune.Pruning.Planning;
using AudioPrune.Training;

namespace AudioPrune.Study;

/// <summary>
/// Runs a study job by job: the baseline (trained here or brought in), its fine-tuning with the pruned models'
/// schedule per data fraction and seed (the control), then per layer set and criterion the pruned model, then its
/// fine-tuning runs per data fraction, initialisation and seed. A job is finished when its folder
/// holds result.json; finished jobs are skipped, and a job killed during training resumes from its checkpoint,
/// so re-running an interrupted study continues where it stopped. One process at a time owns a study folder.
/// </summary>
internal sealed class StudyRunner(StudyConfig config, StudyFolder folder, Action<string> log)
{
    private readonly Dictionary<string, ModelArtifact> models = new(StringComparer.Ordinal);

    /// <summary>The test fold the jobs being run belong to (null: the dataset's one split).</summary>
    private int? fold;

    public IReadOnlyList<JobResult> Run()
    {
        Directory.CreateDirectory(folder.Root);
        using var held = FileLock.TryAcquire(folder.Lock)
            ?? throw new UserInputException($"{folder.Root}: another audioprune process is running this study");
        var dataRoot = config.Data ?? Synthesize();
        var results = new List<JobResult>();
        foreach (var testFold in Folds(dataRoot))
        {
            fold = testFold;
            results.AddRange(RunFold(dataRoot));
        }
        return results;
    }

    /// <summary>
    /// The folds to test on in turn: [null] for a study without folds, else those the config names (all: every fold of
    /// the dataset), each a whole study of its own (baseline, controls, pruned arms) whose results pool by arm.
    /// </summary>
    private IReadOnlyList<int?> Folds(string dataRoot)
    {
        if (config.Folds is not { } wanted) return [null];
        var present = Data.Layouts.DatasetDetector.Read(dataRoot).Entries.Select(e => e.Fold).Distinct().ToArray();
        if (present.Any(f => f is null) || present.Length < 3)
            throw new UserInputException($"{config.Name}: folds: the dataset at {dataRoot} has no folds (at least 3, on every file); drop 'folds' or use a dataset with folds");
        var all = present.Select(f => f!.Value).Order().ToArray();
        var missing = wanted.Listed.Except(all).ToArray();
        if (missing.Length > 0) throw new UserInputException($"{config.Name}: folds: {string.Join(", ", missing)} not among the dataset's folds {string.Join(", ", all)}");
        return (wanted.All ? all : wanted.Listed).Select(f => (int?)f).ToArray();
    }

    /// <summary>A job's id: its name, with the test fold when the study runs folds ("baseline-k3").</summary>
    private string Id(string name) => fold is { } k ? string.Create(CultureInfo.InvariantCulture, $"{name}-k{k}") : name;

    private List<JobResult> RunFold(string dataRoot)
    {
        var results = new List<JobResult> { RunJob(Id(JobKinds.Baseline), () => Baseline(dataRoot)) };
        var baseline = LoadModel(results[0]);
        results.AddRange(Controls(results[0], dataRoot));

        foreach (var set in config.LayerSets)
        {
            PruningPlan? countsSource = null;
            foreach (var criterion in CriteriaInRunOrder())
            {
                var pruneId = Id($"prune-{criterion}-{set.Name}");
                var pruned = RunJob(pruneId, () => Prune(pruneId, baseline, criterion, set, countsSource, dataRoot));
                results.Add(pruned);
                if (criterion == config.Amount.MatchCriterion) countsSource = PlanFile.Read(Path.Combine(folder.Root, pruned.Plan!));
                foreach (var (fraction, init, seed, distil) in FinetuneRuns(criterion))
                {
                    var id = Id(FinetuneId(init == InitMode.Random ? "scratch" : criterion, set, fraction, init, seed) + (distil ? "-kd" : ""));
                    results.Add(RunJob(id, () => Finetune(id, pruned, fraction, init, seed, dataRoot, distil ? results[0] : null) with
                    {
                        Criterion = init == InitMode.Random ? null : criterion,
                        LayerSet = set.Name,
                    }));
                }
            }
        }
        return results;
    }

    /// <summary>The criterion whose counts others match runs first; random-initialised training runs once per layer set.</summary>
    private IEnumerable<string> CriteriaInRunOrder() =>
        config.Amount.MatchCriterion is { } first ? config.Criteria.OrderBy(c => c == first ? 0 : 1) : config.Criteria;

    /// <summary>The unpruned parent fine-tuned with the pruned models' schedule, per data fraction and seed (none when the study says control: false).</summary>
    private IEnumerable<JobResult> Controls(JobResult baseline, string dataRoot)
    {
        if (!config.Control) yield break;
        foreach (var fraction in config.Fractions)
        foreach (var seed in config.Seeds)
        {
            var id = Id(string.Create(CultureInfo.InvariantCulture, $"finetune-{JobKinds.Control}-f{fraction:0.###}-s{seed}"));
            yield return RunJob(id, () => Finetune(id, baseline, fraction, InitMode.Pruned, seed, dataRoot) with { Kind = JobKinds.Control });
        }
    }

    private IEnumerable<(double Fraction, InitMode Init, int Seed, bool Distil)> FinetuneRuns(string criterion)
    {
        var firstCriterion = CriteriaInRunOrder().First();
        foreach (var fraction in config.Fractions)
        foreach (var init in config.Inits)
        {
            if (init == InitMode.Random && criterion != firstCriterion) continue;
            foreach (var distil in config.Distillation.Modes)
            foreach (var seed in config.Seeds) yield return (fraction, init, seed, distil);
        }
    }

    private static string FinetuneId(string source, LayerSet set, double fraction, InitMode init, int seed) =>
        string.Create(CultureInfo.InvariantCulture, $"finetune-{source}-{set.Name}-f{fraction:0.###}-{init.ToString().ToLowerInvariant()}-s{seed}");

    private JobResult RunJob(string id, Func<JobResult> run)
    {
        if (folder.Finished(id) is { } done)
        {
            log($"{id}: already finished, skipped");
            return done;
        }
        log($"{id}: running");
        var result = run() with { Fold = fold };
        folder.Finish(result);
        log($"{id}: done in {result.Seconds:0.0} s{(result.TestAccuracy is { } a ? $", test accuracy {a:P2}" : "")}");
        return result;
    }

    private string Synthesize()
    {
        var manifest = Path.Combine(folder.Data, "manifest.csv");
        if (File.Exists(manifest)) return manifest;
        log($"generating {config.Synthetic.Clips} synthetic scene clips of {config.Synthetic.Seconds} s into {folder.Data}");
        return SyntheticScenes.Write(folder.Data, config.Synthetic);
    }

    private LoadedDataset LoadData(ModelArtifact model, string dataRoot, double fraction, int seed, bool reuseNormalization) =>
        ModelData.Load(model, dataRoot, new DatasetLoadOptions
        {
            CacheDirectory = config.Cache ?? Path.Combine(folder.Root, "cache"),
            Splits = new SplitOptions { Seed = 0, TrainFraction = fraction, SubsetSeed = seed, TestFold = fold },
            Threads = config.Threads,
        }, reuseNormalization, config.Preset);

    private JobResult Baseline(string dataRoot)
    {
        var clock = Stopwatch.StartNew();
        var job = folder.Job(Id(JobKinds.Baseline));
        var model = ModelLoader.Load(config.Model, seed: config.Seeds[0]);
        using var data = LoadData(model, dataRoot, 1.0, config.Seeds[0], reuseNormalization: !config.Baseline.Enabled);
        model = ModelData.ForData(config.Model, model, data, config.Seeds[0]);
        TrainingResult? training = null;
        if (config.Baseline.Enabled)
        {
            var options = config.Baseline.ToOptions(config.Seeds[0], config.Threads, InitMode.Pruned, 1.0, Path.Combine(job, "run"));
            training = Train(model, data, options);
            model = training.Best;
        }
        var test = training?.Test ?? Evaluator.Evaluate(model, data.Splits.Test);
        var validation = training?.Validation ?? Evaluator.Evaluate(model, data.Splits.Validation);
        var (modelPath, onnxPath) = SaveModel(job, model);
        return Describe(Id(JobKinds.Baseline), JobKinds.Baseline, model, clock, modelPath) with
        {
            Seed = config.Seeds[0],
            TestAccuracy = test.ClipLevel.Accuracy,
            TestLogLoss = test.ClipLevel.LogLoss,
            ValidationAccuracy = validation.ClipLevel.Accuracy,
            SelectedEpoch = training?.Record.BestEpoch,
            Cost = training?.Record.Cost,
            Latency = LatencyBenchmark.Run(model, config.Latency),
            Onnx = onnxPath,
        };
    }

    private JobResult Prune(string id, ModelArtifact baseline, string criterion, LayerSet set, PruningPlan? countsSource, string dataRoot)
    {
        var clock = Stopwatch.StartNew();
        var job = folder.Job(id);
        var matching = criterion != config.Amount.MatchCriterion && config.Amount.MatchCriterion is not null;
        var request = new PruningRequest
        {
            Method = criterion,
            Layers = set.Selector,
            Ratio = config.Amount.Ratio,
            Keep = config.Amount.Keep?.ToArray(),
            MatchPlan = matching ? countsSource : null,
            MatchPlanPath = matching ? $"prune-{config.Amount.MatchCriterion}-{set.Name}/plan.json" : null,
            IncludeDistances = criterion is "similarity" or "nystrom",
            Criterion = new CriterionOptions
            {
                Representation = Enum.Parse<Representation>(config.Representation, ignoreCase: true),
                Seed = config.Seeds[0],
            },
        };
        var result = PruningPlanner.Run(baseline.Graph, baseline.Weights, request);
        var pruned = PrunedModel.Create(baseline, result);
        var planPath = Path.Combine(job, "plan.json");
        PlanFile.Write(planPath, result.Plan);
        var (modelPath, onnxPath) = SaveModel(job, pruned);
        using var data = LoadData(pruned, dataRoot, 1.0, config.Seeds[0], reuseNormalization: true);
        var before = Evaluator.Evaluate(pruned, data.Splits.Test);
        return Describe(id, JobKinds.Prune, pruned, clock, modelPath) with
        {
            Criterion = criterion,
            LayerSet = set.Name,
            AccuracyBeforeFinetune = before.ClipLevel.Accuracy,
            ImportanceSeconds = result.Plan.Layers.Sum(l => l.Seconds),
            Latency = LatencyBenchmark.Run(pruned, config.Latency, baseline),
            Onnx = onnxPath,
            Plan = folder.Relative(planPath),
        };
    }

    /// <summary>
    /// Fine-tunes the model of <paramref name="source"/> with the study's fine-tuning schedule, distilling from the model
    /// of <paramref name="teacher"/> when given.
    /// </summary>
    private JobResult Finetune(string id, JobResult source, double fraction, InitMode init, int seed, string dataRoot, JobResult? teacher = null)
    {
        var clock = Stopwatch.StartNew();
        var job = folder.Job(id);
        var model = LoadModel(source);
        using var data = LoadData(model, dataRoot, fraction, seed, reuseNormalization: true);
        var options = config.Finetune.ToOptions(seed, config.Threads, init, fraction, Path.Combine(job, "run")) with
        {
            Distillation = teacher is null ? null : config.Distillation.Settings,
        };
        var training = Train(model, data, options, teacher is null ? null : LoadModel(teacher));
        var (modelPath, onnxPath) = SaveModel(job, training.Best);
        return Describe(id, JobKinds.Finetune, training.Best, clock, modelPath) with
        {
            Fraction = fraction,
            Init = init.ToString().ToLowerInvariant(),
            Seed = seed,
            Distilled = teacher is not null,
            TestAccuracy = training.Test?.ClipLevel.Accuracy,
            TestLogLoss = training.Test?.ClipLevel.LogLoss,
            ValidationAccuracy = training.Validation.ClipLevel.Accuracy,
            SelectedEpoch = training.Record.BestEpoch,
            Cost = training.Record.Cost,
            Onnx = onnxPath,
        };
    }

    /// <summary>Trains, or resumes the job's interrupted run when its checkpoint exists.</summary>
    private TrainingResult Train(ModelArtifact model, LoadedDataset data, TrainingOptions options, ModelArtifact? teacher = null) =>
        TrainingRuns.FitOrResume(model, data.Splits, options, new Progress<TrainingEvent>(e =>
        {
            if (e is EpochReport r) log("  " + TrainingRuns.EpochLine(r));
        }), teacher: teacher);

    private (string Model, string Onnx) SaveModel(string job, ModelArtifact model)
    {
        var modelPath = Path.Combine(job, "model.safetensors");
        var onnxPath = Path.Combine(job, "model.onnx");
        model.Save(modelPath);
        OnnxExporter.Write(model, onnxPath, new OnnxExportOptions(FoldBatchNorm: true)); // portable deployment form; latency is timed in this CPU's tuned one
        models[folder.Relative(modelPath)] = model;
        return (folder.Relative(modelPath), folder.Relative(onnxPath));
    }

    private ModelArtifact LoadModel(JobResult job) =>
        models.TryGetValue(job.Model, out var model) ? model : models[job.Model] = ModelArtifact.Load(Path.Combine(folder.Root, job.Model));

    private JobResult Describe(string id, string kind, ModelArtifact model, Stopwatch clock, string modelPath)
    {
        var complexity = ComplexityReport.Of(model.Graph);
        return new JobResult
        {
            Id = id,
            Kind = kind,
            ParamsTotal = complexity.ParamsTotal,
            ParamsTrainable = complexity.ParamsTrainable,
            Macs = complexity.Macs,
            ConvWidths = model.Graph.ConvLayers.ToDictionary(c => c.Name, c => c.OutChannels),
            Seconds = clock.Elapsed.TotalSeconds,
            Model = modelPath,
        };
    }
}
