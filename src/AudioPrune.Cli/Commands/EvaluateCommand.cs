using AudioPrune.Inference;
using AudioPrune.Cli;
using System.CommandLine;
using System.Globalization;
using AudioPrune.Benchmarking;
using AudioPrune.Common;
using AudioPrune.Data;
using AudioPrune.Interop;
using AudioPrune.Reports;
using AudioPrune.Training;

namespace AudioPrune.Cli.Commands;

/// <summary>audioprune evaluate MODEL --data DATA: scores a model on one split with its stored front end and normalisation.</summary>
internal static class EvaluateCommand
{
    public static Command Create(TextWriter output)
    {
        var model = CommonOptions.ModelArgument();
        var data = new Option<string>("--data") { Description = "Dataset folder or CSV manifest", Required = true, HelpName = "DATA" };
        var split = new Option<string>("--split") { Description = "test, validation or train", DefaultValueFactory = _ => SplitNames.Test };
        var engine = EngineOption.Create();
        var preset = CommonOptions.FrontEndPreset();
        var cache = new Option<string?>("--cache") { Description = "Feature cache folder", HelpName = "DIR" };
        var threads = new Option<int>("--threads") { Description = "Inference and feature threads", DefaultValueFactory = _ => Environment.ProcessorCount };
        var jsonOption = CommonOptions.JsonOut();
        var testFold = CommonOptions.TestFold();
        var validationFold = CommonOptions.ValidationFold();
        var command = new Command("evaluate", """
            Score a model on a split of a dataset: accuracy, balanced accuracy, log-loss, per-class accuracy and the
            confusion matrix at clip level (mean of a clip's segment probabilities), mAP for sigmoid heads, and the
            example-level accuracy. Uses the front end and normalisation stored in the model.
            Examples:
              audioprune evaluate finetuned.safetensors --data TAU-2020-mobile
              audioprune evaluate baseline.safetensors --data synth/manifest.csv --split validation --json scores.json
              audioprune evaluate pruned.safetensors --data TAU-2020-mobile --engine onnx
              audioprune evaluate pruned.onnx --data TAU-2020-mobile
              audioprune evaluate finetuned.safetensors --data TAU-2020-mobile --json -
            """) { model, data, split, engine, preset, cache, threads, jsonOption, testFold, validationFold };
        command.SetAction(parse =>
        {
            var engineName = EngineOption.Checked(parse.GetValue(engine));
            var splitName = parse.GetValue(split)!;
            if (splitName is not (SplitNames.Test or SplitNames.Validation or SplitNames.Train))
                throw new UserInputException($"--split: expected test, validation or train, got '{splitName}'");
            var dataRoot = parse.GetValue(data)!;
            var threadCount = parse.GetValue(threads);
            var json = JsonOutput.For(parse, jsonOption, output);
            var modelName = parse.GetValue(model)!;
            new CommandPaths().Input("MODEL", modelName).Input("--data", dataRoot)
                .Output("--json", json.Target, standardOutput: true).OutputFolder("--cache", parse.GetValue(cache)).Check();
            var (artifact, runner) = RunnableModel.Open(modelName, engineName, threadCount);
            using var _ = runner;
            using var loaded = ModelData.Load(artifact, dataRoot, new DatasetLoadOptions
                {
                    CacheDirectory = parse.GetValue(cache), Threads = threadCount, Warning = TrainingFlags.Warnings(parse),
                    Splits = new SplitOptions { TestFold = parse.GetValue(testFold), ValidationFold = parse.GetValue(validationFold) },
                },
                reuseModelNormalization: true, parse.GetValue(preset));
            var set = splitName switch { SplitNames.Train => loaded.Splits.Train, SplitNames.Validation => loaded.Splits.Validation, _ => loaded.Splits.Test };
            if (set.Count == 0) throw new UserInputException($"{dataRoot}: the {splitName} split has no examples");
            var result = Evaluator.Evaluate(runner, artifact, set);
            ModelNotes.Write(json.Human, ModelNotes.Weights(modelName, artifact), ModelNotes.FrontEnd(modelName, artifact, parse.GetValue(preset), loaded.Settings));
            Print(result, splitName, runner, loaded, json.Human);
            json.Write(new { Split = splitName, Engine = runner.Name, Result = result, Skipped = loaded.Skipped });
            return CliApp.Ok;
        });
        return command;
    }

    private static void Print(EvaluationResult r, string split, IInferenceEngine engine, LoadedDataset loaded, TextWriter output)
    {
        var c = CultureInfo.InvariantCulture;
        var clip = r.ClipLevel;
        output.WriteLine($"model: {r.Model} ({r.Head} head), engine {engine.Name}");
        EngineOption.WriteForm(engine, output);
        output.WriteLine($"split: {split}, {r.Clips} clips, {r.Examples} examples");
        output.WriteLine(string.Format(c, "accuracy {0:P2}, balanced accuracy {1:P2}, log-loss {2:0.0000} (clip level); example-level accuracy {3:P2}",
            clip.Accuracy, clip.BalancedAccuracy, clip.LogLoss, r.ExampleLevel.Accuracy));
        if (clip.MeanAveragePrecision is { } map) output.WriteLine(string.Format(c, "mAP {0:0.0000}", map));
        output.WriteLine();
        List<string[]> rows = [["true \\ predicted", .. r.ClassNames, "accuracy"]];
        for (var i = 0; i < r.ClassNames.Count; i++)
        {
            var name = r.ClassNames[i];
            rows.Add([name, .. clip.ConfusionMatrix[i].Select(n => n.ToString(c)),
                clip.PerClassAccuracy[name] is { } a ? a.ToString("P1", c) : "-"]);
        }
        TextTable.Write(rows, output, rightAlignedFrom: 1);
        output.WriteLine();
        output.WriteLine($"skipped: {loaded.Skipped.Count} file(s)");
        foreach (var s in loaded.Skipped) output.WriteLine($"  {s.Path}: {s.Reason}");
    }
}
