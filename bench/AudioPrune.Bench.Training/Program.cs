using System.Diagnostics;
using System.Globalization;
using AudioPrune.Graph;
using AudioPrune.Graph.Torch;
using AudioPrune.Runtime;
using AudioPrune.Training;
using AudioPrune.Zoo;
using TorchSharp;
using static TorchSharp.torch;

// Training throughput of DCASE21_Net (1x40x500 log-mel, 10 classes) with the trainer's own step
// (forward, cross-entropy, backward, Adam update) at batch 32 on 1 and 2 threads; --widths gives the conv widths of a
// pruned DCASE21_Net (the first filters of each layer kept), as fine-tuning trains it.
// --layout picks the feature maps' memory order (auto: the module's own choice for this network and CPU).
// Usage: dotnet run -c Release --project bench/AudioPrune.Bench.Training [-- --steps 10 --warmup 3 --batch 32 --threads 1,2 --widths 16,16,32
//        --layout auto|channels-first|channels-last]
// The same measurement in PyTorch: bench/pytorch_train_step.py.
var settings = BenchSettings.Parse(args);
var zoo = WithWidths(ModelZoo.Create("dcase21").Graph, settings.Widths);
Console.WriteLine($"DCASE21_Net {string.Join("/", settings.Widths)} {zoo.Graph.Input}, {zoo.Graph.OutputShape[0]} classes, batch {settings.Batch}, Adam lr 1e-3, " +
                  $"{settings.Warmup} warm-up + {settings.Steps} timed steps; TorchSharp {typeof(torch).Assembly.GetName().Version}; " +
                  $"oneDNN instruction set: {OneDnnIsaText()}");
foreach (var threads in settings.Threads)
{
    torch.set_num_threads(threads);
    torch.manual_seed(1);
    using var module = TorchGraphModule.Create(zoo.Graph.WithoutProbabilityHead(), zoo.Weights, settings.Layout);
    if (threads == settings.Threads[0]) Console.WriteLine($"feature maps: {LayoutText(module.Layout)}{(settings.Layout is null ? " (auto)" : " (--layout)")}{(module.PadsChannels ? ", channels padded to whole blocks" : "")}");
    module.train();
    using var step = new TrainingStep(module, ModelHead.Of(zoo.Graph), new OptimizerSettings());
    using var features = torch.randn([settings.Batch, .. zoo.Graph.Input.Dims.Select(d => (long)d)]);
    using var labels = torch.randint(0, zoo.Graph.OutputShape[0], [settings.Batch]);
    using var targets = nn.functional.one_hot(labels, zoo.Graph.OutputShape[0]).to(float32);
    for (var i = 0; i < settings.Warmup; i++) step.Run(features, targets);
    var times = new List<double>();
    for (var i = 0; i < settings.Steps; i++)
    {
        var clock = Stopwatch.StartNew();
        step.Run(features, targets);
        times.Add(clock.Elapsed.TotalSeconds);
    }
    times.Sort();
    var median = times[times.Count / 2];
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"threads {threads}: median step {median:F3} s (min {times[0]:F3}, max {times[^1]:F3}) -> {settings.Batch / median:F1} samples/s"));
}

// The network with its conv layers cut to the given widths (their first filters), as pruning rebuilds it.
static (NetworkGraph Graph, WeightMap Weights) WithWidths(NetworkGraph graph, int[] widths)
{
    var convs = graph.ConvLayers;
    if (widths.Length != convs.Count) throw new ArgumentException($"--widths needs {convs.Count} numbers");
    var kept = convs.Zip(widths).ToDictionary(p => p.First.Name, p => Enumerable.Range(0, p.Second).ToArray());
    return AudioPrune.Pruning.Surgery.NetworkSurgery.Apply(graph, WeightInitializer.Initialize(graph, 1), kept);
}

static string LayoutText(ActivationLayout layout) => layout == ActivationLayout.ChannelsLast ? "channels-last" : "channels-first";

static string OneDnnIsaText()
{
    var value = Environment.GetEnvironmentVariable(NativeRuntime.OneDnnIsaVariable);
    var isa = value is null ? "uncapped" : $"{NativeRuntime.OneDnnIsaVariable}={value} (set by the caller)";
    var block = CpuPolicy.Current.OneDnnChannelBlock;
    return block == 0 ? isa : $"{isa}; convolution channels padded to blocks of {block} (CPU with AVX-512)";
}

internal sealed record BenchSettings(int Steps, int Warmup, int Batch, int[] Threads, int[] Widths, ActivationLayout? Layout)
{
    public static BenchSettings Parse(string[] args)
    {
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        return new BenchSettings(
            int.Parse(Value("--steps") ?? "10", CultureInfo.InvariantCulture),
            int.Parse(Value("--warmup") ?? "3", CultureInfo.InvariantCulture),
            int.Parse(Value("--batch") ?? "32", CultureInfo.InvariantCulture),
            (Value("--threads") ?? "1,2").Split(',').Select(t => int.Parse(t, CultureInfo.InvariantCulture)).ToArray(),
            (Value("--widths") ?? "16,16,32").Split(',').Select(w => int.Parse(w, CultureInfo.InvariantCulture)).ToArray(),
            ParseLayout(Value("--layout") ?? "auto"));
    }

    private static ActivationLayout? ParseLayout(string value) => value switch
    {
        "auto" => null,
        "channels-first" => ActivationLayout.ChannelsFirst,
        "channels-last" => ActivationLayout.ChannelsLast,
        _ => throw new ArgumentException($"--layout {value}: use auto, channels-first or channels-last"),
    };
}
