using System.CommandLine;
using System.Text.Json;
using AudioPrune.Benchmarking;
using AudioPrune.Common;
using AudioPrune.Interop;
using AudioPrune.Reports;

namespace AudioPrune.Cli.Commands;

/// <summary>audioprune bench MODEL: measured inference latency, and speed-up against a parent model.</summary>
public static class BenchCommand
{
    public static Command Create(TextWriter output)
    {
        var model = CommonOptions.ModelArgument();
        var engine = new Option<string>("--engine") { Description = "Inference engine: onnx (ONNX Runtime, the model exported in memory with the convolution layout tuned for this CPU, not the portable one export writes by default), onnx-plain (ONNX Runtime, one Conv node per layer, as export writes it) or torch (TorchSharp); the output says which form ran", DefaultValueFactory = _ => "onnx" };
        var batch = new Option<int>("--batch") { Description = "Examples per run", DefaultValueFactory = _ => 1 };
        var threads = new Option<int>("--threads") { Description = "CPU threads of the engine", DefaultValueFactory = _ => 1 };
        var runs = new Option<int>("--runs") { Description = "Timed runs (after the warm-up)", DefaultValueFactory = _ => 50 };
        var warmup = new Option<int>("--warmup") { Description = "Untimed warm-up runs", DefaultValueFactory = _ => 10 };
        var parent = new Option<string?>("--parent") { Description = "The unpruned model, to report the measured speed-up beside the MACs ratio (model and parent timed in alternating blocks of 5 runs)", HelpName = "MODEL" };
        var profile = new Option<bool>("--profile") { Description = "Also show where the time goes, stage by stage (each convolution or linear layer with the layers after it), from ONNX Runtime's profiler: as many runs again, after the timed ones, in a separate profiled session (onnx engines only)" };
        var json = CommonOptions.JsonOut();
        var command = new Command("bench", """
            Measure inference latency: warm-up, then repeated timed runs; median and spread.
            With --parent, also the measured speed-up against the parent and the MACs ratio beside it.
            Examples:
              audioprune bench dcase21 --engine torch
              audioprune bench pruned.safetensors --parent dcase21.safetensors --batch 1 --threads 1
              audioprune bench pruned.safetensors --engine onnx --batch 32 --json latency.json
              audioprune bench pruned.safetensors --engine onnx-plain --parent dcase21
              audioprune bench pruned.safetensors --parent dcase21 --profile
            """) { model, engine, batch, threads, runs, warmup, parent, profile, json };
        command.SetAction(parse =>
        {
            var settings = new LatencySettings(parse.GetValue(engine)!, parse.GetValue(batch), parse.GetValue(threads),
                parse.GetValue(warmup), parse.GetValue(runs), Profile: parse.GetValue(profile));
            new CommandPaths().Input("MODEL", parse.GetValue(model)).Input("--parent", parse.GetValue(parent))
                .Output("--json", parse.GetValue(json)).Check();
            var subject = ModelLoader.Load(parse.GetValue(model)!);
            var parentModel = parse.GetValue(parent) is { } p ? ModelLoader.Load(p) : null;
            var result = LatencyBenchmark.Run(subject, settings, parentModel);
            output.WriteLine($"{settings.Engine}, batch {settings.Batch}, {settings.Threads} thread(s): {result.Model}");
            if (result.Form is not null) output.WriteLine($"runs as: {result.Form}");
            if (result.Parent is not null)
            {
                output.WriteLine($"parent: {result.Parent}");
                if (result.ParentForm is not null) output.WriteLine($"parent runs as: {result.ParentForm}");
                output.WriteLine($"measured speed-up {result.MeasuredSpeedup:0.00}x, MACs ratio {result.MacsRatio:0.00}x, MAC efficiency {result.MacEfficiency:0.00}");
            }
            if (result.ExecutedMacs is { } executed && executed != result.Macs)
                output.WriteLine($"the engine executes {Units.Count(executed)} multiply-adds per example for {Units.Count(result.Macs)} MACs (padding to whole channel blocks and kernel folds included)");
            if (result.ExecutedMacsRatio is { } executedRatio)
                output.WriteLine($"executed MACs ratio {executedRatio:0.00}x, efficiency against executed MACs {result.ExecutedMacEfficiency:0.00}");
            if (result.Layers is { } layers)
            {
                output.WriteLine();
                output.WriteLine($"time by stage (ONNX Runtime profiler, median kernel time over {layers.Runs} runs):");
                StageTimeTable.Write(layers, result.ParentLayers, output);
            }
            if (parse.GetValue(json) is { } path)
            {
                AtomicFile.WriteAllText(path, JsonSerializer.Serialize(result, ReportJson.Options));
                output.WriteLine($"wrote {path}");
            }
            return CliApp.Ok;
        });
        return command;
    }
}
