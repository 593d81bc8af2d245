using AudioPrune;
using System.Diagnostics;
using System.Text.Json;
using AudioPrune.Common;
using AudioPrune.Graph;
using AudioPrune.Interop;
using AudioPrune.Pruning;
using AudioPrune.Pruning.Numerics;
using AudioPrune.Pruning.Planning;
using AudioPrune.Reports;
using AudioPrune.Runtime;
using AudioPrune.Zoo;

// Importance-speed benchmark: for each criterion, the time to score every conv layer of seeded VGGish_Net and
// CNN14 weights and choose its kept filters (the criterion's own count, or half the filters for score criteria).
// Usage: dotnet run -c Release --project bench/AudioPrune.Bench.Pruning -- [--repeat N] [--network vggish|cnn14]
//        [--criteria "similarity rank1,nystrom flatten m=64"] [--breakdown] [--json FILE]
// The weights are the zoo network's seed-0 weights, the same ones `audioprune export NAME --safetensors FILE`
// writes, so bench/numpy_similarity.py can time the NumPy reference on identical filters and the kept sets
// (written with --json) can be compared.
NativeRuntime.EnsureInitialized();
var repeat = args.SkipWhile(a => a != "--repeat").Skip(1).Select(int.Parse).FirstOrDefault(3);
var only = args.SkipWhile(a => a != "--network").Skip(1).FirstOrDefault();
var chosen = args.SkipWhile(a => a != "--criteria").Skip(1).FirstOrDefault()?.Split(',', StringSplitOptions.TrimEntries);
var jsonPath = args.SkipWhile(a => a != "--json").Skip(1).FirstOrDefault();
var report = new List<NetworkTiming>();

var cases = new (string Label, string Method, CriterionOptions Options)[]
{
    ("similarity rank1", "similarity", new CriterionOptions()),
    ("similarity flatten", "similarity", new CriterionOptions { Representation = Representation.Flatten }),
    ("nystrom rank1 m=auto", "nystrom", new CriterionOptions()),
    ("nystrom flatten m=64", "nystrom", new CriterionOptions { Representation = Representation.Flatten, Landmarks = 64 }),
    ("opnorm", "opnorm", new CriterionOptions()),
    ("l1", "l1", new CriterionOptions()),
    ("l2", "l2", new CriterionOptions()),
    ("fpgm", "fpgm", new CriterionOptions()),
    ("gm", "gm", new CriterionOptions()),
    ("random", "random", new CriterionOptions()),
};

foreach (var network in new[] { "dcase21", "vggish", "cnn14" }.Where(n => (only is null || n == only) && !args.Contains("--breakdown")))
{
    var artifact = ModelLoader.Load(network, seed: 0);
    var graph = artifact.Graph;
    var weights = artifact.Weights;
    var convs = graph.ConvLayers;
    Console.WriteLine($"{network}: {convs.Count} conv layers, {Environment.ProcessorCount} cores, load average {LoadAverage()}, best of {repeat} runs, wall-clock milliseconds; cpu = process CPU time of the best total run");
    var header = new[] { "criterion" }.Concat(convs.Select(c => c.Name)).Append("total").Append("cpu").ToArray();
    var rows = new List<string[]> { header };
    var timings = new List<CriterionTiming>();
    foreach (var (label, method, options) in cases.Where(c => chosen is null || chosen.Contains(c.Label)))
    {
        var criterion = CriterionCatalog.Create(method, options);
        var best = new double[convs.Count];
        Array.Fill(best, double.PositiveInfinity);
        var bestTotal = double.PositiveInfinity;
        var bestCpu = 0.0;
        var kept = new int[convs.Count][];
        for (var run = 0; run <= repeat; run++) // run 0 warms up (JIT, libtorch threads)
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var total = 0.0;
            for (var i = 0; i < convs.Count; i++)
            {
                var clock = Stopwatch.StartNew();
                var bank = new FilterBank(convs[i].Name, weights[$"{convs[i].Name}.weight"], i);
                var importance = criterion.Score(bank);
                kept[i] = importance.Kept(criterion.SelectsOwnCount() ? null : bank.Filters / 2);
                clock.Stop();
                total += clock.Elapsed.TotalMilliseconds;
                if (run > 0) best[i] = Math.Min(best[i], clock.Elapsed.TotalMilliseconds);
            }
            if (run > 0 && total < bestTotal)
            {
                bestTotal = total;
                bestCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
            }
        }
        rows.Add([label, .. best.Select(ms => ms.ToString("0.0")), bestTotal.ToString("0.0"), bestCpu.ToString("0")]);
        timings.Add(new CriterionTiming(label, bestTotal, bestCpu,
            convs.Select((c, i) => new LayerTiming(c.Name, c.OutChannels, best[i], kept[i])).ToArray()));
        Console.Out.Flush();
    }
    TextTable.Write(rows, Console.Out, rightAlignedFrom: 1);
    Console.WriteLine();
    report.Add(new NetworkTiming(network, repeat, LoadAverage(), timings.ToArray()));
}
if (jsonPath is not null) AtomicFile.WriteAllText(jsonPath, JsonSerializer.Serialize(report, ReportJson.Options));

// --breakdown: where the similarity criterion's time goes on the widest VGGish layer.
if (args.Contains("--breakdown"))
{
    var graph = ModelZoo.Create("vggish", classes: 10, input: new Shape(1, 64, 64)).Graph;
    var weight = WeightInitializer.Initialize(graph, seed: 1)["conv4_2.weight"];
    for (var run = 0; run < 4; run++)
    {
        var clock = Stopwatch.StartNew();
        var bank = new FilterBank("conv4_2", weight);
        var t0 = clock.Elapsed.TotalMilliseconds;
        var prototypes = Prototypes.Rank1(bank);
        var t1 = clock.Elapsed.TotalMilliseconds;
        var distances = CosineDistances.Exact(prototypes);
        var t2 = clock.Elapsed.TotalMilliseconds;
        var analysis = CosineDistances.Analyse(distances, prototypes, null);
        var t3 = clock.Elapsed.TotalMilliseconds;
        _ = GreedySimilarity.Kept(distances, bank.Filters, null);
        var t4 = clock.Elapsed.TotalMilliseconds;
        Console.WriteLine($"bank {t0:0.0} prototypes {t1 - t0:0.0} distances {t2 - t1:0.0} analyse {t3 - t2:0.0} greedy {t4 - t3:0.0} ms ({analysis.NearestDistance.Length} filters)");
    }
    var cnn14 = ModelZoo.Create("cnn14", classes: 10, input: new Shape(1, 64, 64)).Graph;
    var wide = new FilterBank("block6_conv2", WeightInitializer.Initialize(cnn14, seed: 1)["block6_conv2.weight"]);
    for (var run = 0; run < 2; run++)
    {
        var clock = Stopwatch.StartNew();
        var flat = Prototypes.Flatten(wide);
        var t0 = clock.Elapsed.TotalMilliseconds;
        var (approximate, _, _) = NystromApproximation.Similarity(flat, 64, LandmarkChoice.First, null, 0);
        var t1 = clock.Elapsed.TotalMilliseconds;
        var exact = CosineDistances.Exact(flat);
        var t2 = clock.Elapsed.TotalMilliseconds;
        Console.WriteLine($"cnn14 block6_conv2 flatten: prototypes {t0:0} nystrom m=64 {t1 - t0:0} exact {t2 - t1:0} ms ({approximate.Length + exact.Length} values)");
    }
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

internal sealed record LayerTiming(string Layer, int Filters, double BestMs, int[] Kept);
internal sealed record CriterionTiming(string Criterion, double TotalMs, double CpuMs, LayerTiming[] Layers);
internal sealed record NetworkTiming(string Network, int Runs, string LoadAverage, CriterionTiming[] Criteria);
