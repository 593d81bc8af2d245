using AudioPrune.Common;
using System.Diagnostics;
using System.Text.Json;
using AudioPrune.Interop.Onnx.Import;
using AudioPrune.Pruning.Dependency;
using AudioPrune.Pruning.Planning;
using AudioPrune.Reports;
using AudioPrune.Runtime;

// ONNX import and group-pruning benchmark on the networks bench/onnx_models.py exports from PyTorch:
// the time to import torchvision's resnet18 (45 MB), and, on mobilenet_v2, the time to find its channel groups,
// score every prunable group and rebuild the network (importance plus surgery), per criterion.
// Usage: dotnet run -c Release --project bench/AudioPrune.Bench.Groups -- --onnx DIR [--repeat N] [--json FILE]
// Every figure is the best of N runs after one untimed run (JIT compilation, first touch of memory).
NativeRuntime.EnsureInitialized();
var folder = args.SkipWhile(a => a != "--onnx").Skip(1).FirstOrDefault() ?? throw new ArgumentException("--onnx DIR is required");
var repeat = args.SkipWhile(a => a != "--repeat").Skip(1).Select(int.Parse).FirstOrDefault(5);
var jsonPath = args.SkipWhile(a => a != "--json").Skip(1).FirstOrDefault();

var resnet = Path.Combine(folder, "resnet18.onnx");
var importMs = Best(repeat, () => OnnxImporter.Import(resnet));
Console.WriteLine($"import resnet18.onnx ({new FileInfo(resnet).Length:N0} bytes): {importMs:0.0} ms (best of {repeat})");

var mobilenet = OnnxImporter.Import(Path.Combine(folder, "mobilenet_v2.onnx"));
var groups = ChannelDependency.Analyse(mobilenet.Graph);
var prunable = groups.ConvGroups.Count(g => g.Prunable);
var analyseMs = Best(repeat, () => ChannelDependency.Analyse(mobilenet.Graph));
Console.WriteLine($"mobilenet_v2: {mobilenet.Graph.ConvLayers.Count} convs, {groups.ConvGroups.Count} groups, {prunable} prunable; finding the groups: {analyseMs:0.00} ms");
var rows = new List<string[]> { new[] { "criterion", "importance ms", "importance + surgery ms" } };
var criteria = new List<object>();
foreach (var method in new[] { "similarity", "nystrom", "l1", "fpgm" })
{
    var request = new PruningRequest { Method = method, Ratio = method is "similarity" or "nystrom" ? null : 0.3 };
    PruningResult? last = null;
    var totalMs = Best(repeat, () => last = PruningPlanner.Run(mobilenet.Graph, mobilenet.Weights, request));
    var importanceMs = last!.Plan.Layers.Sum(l => l.Seconds) * 1000;
    rows.Add([method, $"{importanceMs:0.0}", $"{totalMs:0.0}"]);
    criteria.Add(new { Method = method, ImportanceMs = importanceMs, TotalMs = totalMs, Groups = last.Plan.Layers.Count });
}
TextTable.Write(rows, Console.Out, rightAlignedFrom: 1);
Console.WriteLine($"load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}, {Environment.ProcessorCount} cores");
if (jsonPath is not null)
{
    var result = new { ImportResnet18Ms = importMs, ResnetBytes = new FileInfo(resnet).Length, AnalyseMs = analyseMs, Groups = groups.ConvGroups.Count, Prunable = prunable, Criteria = criteria, Repeat = repeat };
    File.WriteAllText(jsonPath, JsonSerializer.Serialize(result, ReportJson.Options));
}

static double Best(int repeat, Action action)
{
    action();
    var best = double.PositiveInfinity;
    for (var i = 0; i < repeat; i++)
    {
        var clock = Stopwatch.StartNew();
        action();
        best = Math.Min(best, clock.Elapsed.TotalMilliseconds);
    }
    return best;
}
