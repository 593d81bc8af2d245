using AudioPrune.Cli;
using System.CommandLine;
using AudioPrune.Audio;
using AudioPrune.Common;
using AudioPrune.Data;
using AudioPrune.Graph;
using AudioPrune.Training;

namespace AudioPrune.Cli.Commands;

/// <summary>
/// The options train and finetune share (data, output, recipe, run folder), and the steps around a run: load the
/// data as the model sees it, train or resume with a progress line per epoch, save, and print the outcome.
/// Recipe defaults are the spec's fine-tuning recipe (Adam, lr 1e-3, batch 32 or 64 for vggish, 30 epochs).
/// </summary>
internal sealed class TrainingFlags
{
    public Option<string> Data { get; } = new("--data")
    {
        Description = "Dataset folder or CSV manifest (see 'audioprune features')", Required = true, HelpName = "DATA",
    };
    public Option<string> Out { get; } = new("--out") { Description = "Where to write the trained model (.safetensors)", Required = true, HelpName = "FILE" };
    public Option<string?> Preset { get; } = new("--preset") { Description = $"Front-end preset ({string.Join(", ", FrontEndSettings.PresetNames)}) or a .json file of settings (a preset and the fields that differ); default: the model's own" };
    public Option<int> Epochs { get; } = new("--epochs") { Description = "Epochs to train", DefaultValueFactory = _ => 30 };
    public Option<int?> BatchSize { get; } = new("--batch-size") { Description = "Batch size (default 32, 64 for vggish)" };
    public Option<double> LearningRate { get; } = new("--lr") { Description = "Learning rate", DefaultValueFactory = _ => 1e-3 };
    public Option<OptimizerKind> Optimizer { get; } = new("--optimizer") { Description = "adam or sgd", DefaultValueFactory = _ => OptimizerKind.Adam };
    public Option<double> Momentum { get; } = new("--momentum") { Description = "SGD momentum", DefaultValueFactory = _ => 0.9 };
    public Option<double> WeightDecay { get; } = new("--weight-decay") { Description = "L2 weight decay", DefaultValueFactory = _ => 0.0 };
    public Option<ScheduleKind> Schedule { get; } = new("--schedule") { Description = "Learning-rate schedule: constant, cosine or step", DefaultValueFactory = _ => ScheduleKind.Constant };
    public Option<int?> Patience { get; } = new("--patience") { Description = "Stop after N epochs without a better validation score" };
    public Option<string> Select { get; } = new("--select") { Description = "Epoch selection on the validation split: accuracy or loss", DefaultValueFactory = _ => "accuracy" };
    public Option<double> Mixup { get; } = new("--mixup") { Description = "Mixup alpha (0 = off)", DefaultValueFactory = _ => 0.0 };
    public Option<bool> SpecAugment { get; } = new("--spec-augment") { Description = "Two frequency and two time masks per example" };
    public Option<int> Seed { get; } = new("--seed") { Description = "Seed of initialisation, data order, augmentation and subsets", DefaultValueFactory = _ => 1 };
    public Option<int?> Threads { get; } = new("--threads") { Description = "Torch and feature threads (fixes the thread count for repeatable runs)" };
    public Option<string?> Cache { get; } = new("--cache") { Description = "Feature cache folder (default: ~/.cache/audioprune/features)", HelpName = "DIR" };
    public Option<string?> Run { get; } = new("--run") { Description = "Run folder for the checkpoint and the CSV log (default: OUT.run/)", HelpName = "DIR" };
    public Option<bool> Resume { get; } = new("--resume")
    {
        Description = "Continue the interrupted run in the run folder with its own settings (recipe flags given must equal them)",
    };

    public Option<double> WattsPerCore { get; } = new("--watts-per-core")
    {
        Description = "Power of one busy core, for the energy estimate where the machine has no RAPL counters (an assumption; your CPU's rated power / cores)",
        DefaultValueFactory = _ => CostSettings.DefaultWattsPerCore,
    };

    public Option<double> GramsPerKwh { get; } = new("--grams-per-kwh")
    {
        Description = "Carbon intensity of the electricity, for the CO2 estimate (default: the world's in 2022, Ember)",
        DefaultValueFactory = _ => CostSettings.DefaultGramsPerKwh,
    };

    public Option<int?> TestFold { get; } = CommonOptions.TestFold();

    public Option<int?> ValidationFold { get; } = CommonOptions.ValidationFold();

    public IEnumerable<Option> All =>
    [
        Data, Out, Preset, Epochs, BatchSize, LearningRate, Optimizer, Momentum, WeightDecay, Schedule, Patience, Select,
        Mixup, SpecAugment, Seed, Threads, Cache, Run, Resume, WattsPerCore, GramsPerKwh, TestFold, ValidationFold,
    ];

    public string RunFolder(ParseResult parse) => parse.GetValue(Run) ?? parse.GetValue(Out)! + ".run";

    /// <summary>
    /// Checks what can be checked before any data is read, and makes this process the run folder's one owner
    /// (before looking at its checkpoint, so a second process is refused for what it is). Dispose the result when done.
    /// </summary>
    public IDisposable Validate(ParseResult parse, string model, string? teacher = null)
    {
        var output = parse.GetValue(Out)!;
        if (!output.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase))
            throw new UserInputException($"--out {output}: the model is written as .safetensors; name it e.g. model.safetensors");
        // The numbers are checked before any audio is read; the front end does not change what is valid.
        Options(parse, graphName: "", FrontEndSettings.Dcase2021, InitMode.Pruned, fraction: 1.0).Validate();
        var data = parse.GetValue(Data)!;
        if (!Directory.Exists(data) && !File.Exists(data)) throw UserInputException.InFile(data, "dataset not found (a folder or a CSV manifest)");
        var run = RunFolder(parse);
        new CommandPaths().Input("MODEL", model).Input("--teacher", teacher).Input("--data", data).Output("--out", output).OutputFolder("--run", run).Check();
        var owner = TrainingRuns.Own(run);
        try
        {
            var resuming = parse.GetValue(Resume);
            if (resuming && !TrainingRuns.HasCheckpoint(run))
                throw new UserInputException($"--resume: {run} holds no checkpoint to continue (pass the run folder with --run)");
            if (!resuming && TrainingRuns.HasCheckpoint(run))
                throw new UserInputException($"{run} already holds a training run: add --resume to continue it (a finished run is only saved again), or choose another --run folder");
            return owner;
        }
        catch
        {
            owner.Dispose();
            throw;
        }
    }

    /// <summary>
    /// With --resume: the run with its own options, after checking that every setting given explicitly (here or in
    /// <paramref name="commandOptions"/>) agrees with the run's, and one line saying which settings came from the run.
    /// Without --resume: null. Reads only the checkpoint, so a mismatch is refused before any data is read.
    /// </summary>
    public ResumedRun? Resumed(ParseResult parse, TextWriter output, InitMode init, double fraction, params Option[] commandOptions)
    {
        if (!parse.GetValue(Resume)) return null;
        var requested = Options(parse, graphName: "", FrontEndSettings.Dcase2021, init, fraction);
        var given = All.Concat(commandOptions).Where(o => parse.GetResult(o) is { Implicit: false }).Select(o => ParameterFlags.Parameter(o.Name)).ToHashSet();
        var run = ResumeSettings.Resolve(RunFolder(parse), requested, given);
        if (run.FromRun.Count > 0)
            output.WriteLine($"resuming with the run's own settings: {string.Join(", ", run.FromRun.Select(s => $"{ParameterFlags.Flag(s.Parameter)[2..]} {s.Value}"))}");
        return run;
    }

    /// <summary>One line per warning on the command's standard error (e.g. a damaged cache entry being recomputed).</summary>
    public static Action<string> Warnings(ParseResult parse)
    {
        var error = parse.InvocationConfiguration.Error;
        return line =>
        {
            lock (error) error.WriteLine($"audioprune: warning: {line}");
        };
    }

    public DatasetLoadOptions LoadOptions(ParseResult parse, SplitOptions splits) => new()
    {
        CacheDirectory = parse.GetValue(Cache),
        Threads = parse.GetValue(Threads),
        Splits = splits with { TestFold = parse.GetValue(TestFold), ValidationFold = parse.GetValue(ValidationFold) },
        Warning = Warnings(parse),
    };

    public TrainingOptions Options(ParseResult parse, string graphName, FrontEndSettings frontEnd, InitMode init, double fraction)
    {
        var masks = parse.GetValue(SpecAugment) ? 2 : 0;
        // Masks must cut along the axis that holds frequency in this front end's examples.
        var frequencyAxis = frontEnd.Layout == FeatureLayout.MelByFrames ? 1 : 2;
        return TrainingOptions.ForModel(graphName) with
        {
            Optimizer = new OptimizerSettings
            {
                Kind = parse.GetValue(Optimizer),
                LearningRate = parse.GetValue(LearningRate),
                Momentum = parse.GetValue(Momentum),
                WeightDecay = parse.GetValue(WeightDecay),
            },
            Schedule = new LearningRateSchedule { Kind = parse.GetValue(Schedule) },
            Augmentation = new AugmentationSettings { MixupAlpha = parse.GetValue(Mixup), FrequencyMasks = masks, TimeMasks = masks, FrequencyAxis = frequencyAxis },
            BatchSize = parse.GetValue(BatchSize) ?? TrainingOptions.ForModel(graphName).BatchSize,
            Epochs = parse.GetValue(Epochs),
            Patience = parse.GetValue(Patience),
            Selection = parse.GetValue(Select) switch
            {
                "accuracy" => SelectionMetric.ValidationAccuracy,
                "loss" => SelectionMetric.ValidationLoss,
                var other => throw new UserInputException($"--select: expected accuracy or loss, got '{other}'"),
            },
            Init = init,
            Seed = parse.GetValue(Seed),
            Cost = new CostSettings(parse.GetValue(WattsPerCore), parse.GetValue(GramsPerKwh)),
            Threads = parse.GetValue(Threads),
            DataFraction = fraction,
            RunFolder = RunFolder(parse),
        };
    }

    /// <summary>Trains (or resumes), saves the selected model and prints the outcome.</summary>
    public static TrainingResult TrainAndSave(ModelArtifact model, LoadedDataset data, TrainingOptions options, string outPath, TextWriter output,
        ModelArtifact? teacher = null)
    {
        output.WriteLine($"data: {data.Layout}, {data.ClassNames.Count} classes; train {data.Splits.Train.Count}, validation {data.Splits.Validation.Count}, test {data.Splits.Test.Count} examples ({data.Plan.Method})");
        if (data.Skipped.Count > 0) output.WriteLine($"skipped: {data.Skipped.Count} file(s), e.g. {data.Skipped[0].Path}: {data.Skipped[0].Reason}");
        var live = !Console.IsOutputRedirected && ReferenceEquals(output, Console.Out);
        if (options.Distillation is { } kd)
            output.WriteLine(FormattableString.Invariant($"distillation: weight {kd.Weight}, temperature {kd.Temperature}, teacher {kd.Teacher ?? "given"}"));
        var result = TrainingRuns.FitOrResume(model, data.Splits, options, new SynchronousProgress(e =>
        {
            if (e is EpochReport r) output.WriteLine(TrainingRuns.EpochLine(r));
            else if (live && e is BatchReport b) output.Write($"\r  batch {b.Batch}/{b.Batches}, loss {b.Loss:0.000}   \r");
        }), teacher: teacher);
        result.Best.Save(outPath);
        output.WriteLine($"selected epoch {result.Record.BestEpoch} of {result.Record.EpochsRun} by validation {(result.Record.SelectionMetric == SelectionMetric.ValidationAccuracy ? "accuracy" : "loss")}");
        output.WriteLine($"validation accuracy {result.Validation.ClipLevel.Accuracy:P2}" +
                         (result.Test is { } test ? $", test accuracy {test.ClipLevel.Accuracy:P2}" : ", no test split"));
        if (result.Record.Cost is { } cost) output.WriteLine($"training cost: {cost.Describe()}");
        output.WriteLine($"wrote {outPath}");
        output.WriteLine($"wrote {Path.Combine(options.RunFolder!, TrainingLog.FileName)} (the training log; the checkpoint and best model are beside it)");
        return result;
    }

    /// <summary>Reports on the training thread, so lines come out in order before the summary.</summary>
    private sealed class SynchronousProgress(Action<TrainingEvent> report) : IProgress<TrainingEvent>
    {
        public void Report(TrainingEvent value) => report(value);
    }
}
