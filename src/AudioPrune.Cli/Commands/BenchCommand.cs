using AudioPrune.Cli;
using System.CommandLine;
using AudioPrune.Benchmarking;
using AudioPrune.Common;
using AudioPrune.Interop;
using AudioPrune.Reports;

namespace AudioPrune.Cli.Commands;

/// <summary>audioprune bench MODEL: measured inference latency, and speed-up against a parent model.</summary>
internal static class BenchCommand
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
              audioprune bench pruned.safetensors --parent dcase21 --json -
              audioprune bench pruned.safetensors --engine onnx-plain --parent dcase21
              audioprune bench pruned.safetensors --parent dcase21 --profile
            """) { model, engine, batch, threads, runs, warmup, parent, profile, json };
        command.SetAction(parse =>
        {
            var settings = new LatencySettings(parse.GetValue(engine)!, parse.GetValue(batch), parse.GetValue(threads),
                parse.GetValue(warmup), parse.GetValue(runs), Profile: parse.GetValue(profile));
            var result = JsonOutput.For(parse, json, output);
            new CommandPaths().Input("MODEL", parse.GetValue(model)).Input("--parent", parse.GetValue(parent))
                .Output("--json", result.Target, standardOutput: true).Check();
            var subject = ModelLoader.Load(parse.GetValue(model)!);
            var parentModel = parse.GetValue(parent) is { } p ? ModelLoader.Load(p) : null;
            var latency = LatencyBenchmark.Run(subject, settings, parentModel);
            Print(latency, settings, result.Human);
            result.Write(latency);
            return CliApp.Ok;
        });
        return command;
    }

    private static void Print(LatencyResult latency, LatencySettings settings, TextWriter output)
    {
        output.WriteLine($"{settings.Engine}, batch {settings.Batch}, {settings.Threads} thread(s): {latency.Model}");
        if (latency.Form is not null) output.WriteLine($"runs as: {latency.Form}");
        if (latency.Parent is not null)
        {
            output.WriteLine($"parent: {latency.Parent}");
            if (latency.ParentForm is not null) output.WriteLine($"parent runs as: {latency.ParentForm}");
            output.WriteLine($"measured speed-up {latency.MeasuredSpeedup:0.00}x, MACs ratio {latency.MacsRatio:0.00}x, MAC efficiency {latency.MacEfficiency:0.00}");
        }
        if (latency.ExecutedMacs is { } executed && executed != latency.Macs)
            output.WriteLine($"the engine executes {Units.Count(executed)} multiply-adds per example for {Units.Count(latency.Macs)} MACs (padding to whole channel blocks and kernel folds included)");
        if (latency.ExecutedMacsRatio is { } executedRatio)
            output.WriteLine($"executed MACs ratio {executedRatio:0.00}x, efficiency against executed MACs {latency.ExecutedMacEfficiency:0.00}");
        if (latency.Layers is { } layers)
        {
            output.WriteLine();
            output.WriteLine($"time by stage (ONNX Runtime profiler, median kernel time over {layers.Runs} runs):");
            StageTimeTable.Write(layers, latency.ParentLayers, output);
        }
    }
}
