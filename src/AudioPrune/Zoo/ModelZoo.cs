using AudioPrune.Common;
using AudioPrune.Graph;
using AudioPrune.Graph.Nodes;

namespace AudioPrune.Zoo;

/// <summary>A reference network: its graph, the audio front-end preset it was designed for, and class labels.</summary>
internal sealed record ZooModel(string Name, string Description, NetworkGraph Graph, string FrontEndPreset, IReadOnlyList<string> Labels);

/// <summary>
/// The reference networks of the papers, exactly as published (docs/method.md, "Reference networks", docs/conventions.md):
/// dcase21 (DCASE 2021 Task 1A baseline), vggish (VGGish_Net), cnn14 (PANNs), and the smaller PANNs cnn10 and cnn6;
/// and two networks with couplings: EfficientAT's MobileNetV3 at widths 0.4, 0.5, 1.0 and 4.0 (mn04, mn05, mn10,
/// mn40; inverted residuals, depthwise convs, squeeze-excitation) and CP-ResNet (cpresnet; residual stages).
/// </summary>
internal static class ModelZoo
{
    private sealed record Entry(string Description, string FrontEnd, int DefaultClasses, Shape DefaultInput,
        Func<Shape, int, NetworkGraph> Build, Func<int, IReadOnlyList<string>> Labels);

    private static readonly string[] TauScenes =
        ["airport", "bus", "metro", "metro_station", "park", "public_square", "shopping_mall", "street_pedestrian", "street_traffic", "tram"];

    private static readonly Dictionary<string, Entry> Entries = new(StringComparer.OrdinalIgnoreCase)
    {
        ["dcase21"] = new("DCASE 2021 Task 1A baseline (DCASE21_Net), 10 s log-mel 40x500", "dcase2021", 10, new Shape(1, 40, 500),
            Dcase21, classes => classes == 10 ? TauScenes : Numbered(classes)),
        ["vggish"] = new("VGGish_Net, one 96-frame x 64-mel patch", "vggish", 10, new Shape(1, 96, 64),
            Vggish, Numbered),
        ["cnn14"] = new("PANNs CNN14, 10 s at 32 kHz, 1001 frames x 64 mel", "panns", 527, new Shape(1, 1001, 64),
            (input, classes) => Panns("cnn14", input, classes, [64, 128, 256, 512, 1024, 2048], 2048, convsPerBlock: 2, kernel: 3), Numbered),
        ["cnn10"] = new("PANNs CNN10, 10 s at 32 kHz, 1001 frames x 64 mel", "panns", 527, new Shape(1, 1001, 64),
            (input, classes) => Panns("cnn10", input, classes, [64, 128, 256, 512], 512, convsPerBlock: 2, kernel: 3), Numbered),
        ["cnn6"] = new("PANNs CNN6, 10 s at 32 kHz, 1001 frames x 64 mel", "panns", 527, new Shape(1, 1001, 64),
            (input, classes) => Panns("cnn6", input, classes, [64, 128, 256, 512], 512, convsPerBlock: 1, kernel: 5), Numbered),
        ["mn04"] = MobileNet("mn04", 0.4),
        ["mn05"] = MobileNet("mn05", 0.5),
        ["mn10"] = MobileNet("mn10", 1.0),
        ["mn40"] = MobileNet("mn40", 4.0),
        ["cpresnet"] = new("CP-ResNet (rho 7), 10 s at 22.05 kHz, 256 mel x 431 frames", "cpresnet", 10, new Shape(1, 256, 431),
            (input, classes) => CpResNet.Build("cpresnet", input, classes, rho: 7), classes => classes == 10 ? TauScenes : Numbered(classes)),
    };

    private static Entry MobileNet(string name, double width) =>
        new($"EfficientAT MobileNetV3, width {width:0.0}, 10 s at 32 kHz, 128 mel x 1000 frames", "efficientat", 527, new Shape(1, 128, 1000),
            (input, classes) => EfficientAtMobileNet.Build(name, input, classes, width), Numbered);

    public static IReadOnlyList<string> Names => Entries.Keys.ToArray();

    public static bool Contains(string name) => Entries.ContainsKey(name);

    /// <summary>Builds a zoo network; <paramref name="classes"/> and <paramref name="input"/> default to the published ones.</summary>
    public static ZooModel Create(string name, int? classes = null, Shape? input = null)
    {
        if (!Entries.TryGetValue(name, out var entry))
            throw new UserInputException($"unknown model '{name}': not a zoo name ({string.Join(", ", Names)}) or an existing file");
        var count = classes ?? entry.DefaultClasses;
        if (count < 1) throw new UserInputException($"model '{name}': the number of classes must be at least 1, got {count}");
        var shape = input ?? entry.DefaultInput;
        NetworkGraph graph;
        try
        {
            graph = entry.Build(shape, count);
        }
        catch (Exception e) when (e is GraphException or ArgumentException)
        {
            throw new UserInputException($"model '{name}' does not fit the input {shape}: {e.Message}");
        }
        return new ZooModel(name.ToLowerInvariant(), entry.Description, graph, entry.FrontEnd, entry.Labels(count));
    }

    private static string[] Numbered(int classes) => ModelArtifact.NumberedLabels(classes);

    /// <summary>Keras original: BatchNormalization epsilon 1e-3, 'same' 7x7 convolutions, softmax output.</summary>
    private static NetworkGraph Dcase21(Shape input, int classes) =>
        new SequentialBuilder("dcase21", input)
            .Conv("conv1", 16, 7).BatchNorm("bn1", 1e-3).Relu("relu1")
            .Conv("conv2", 16, 7).BatchNorm("bn2", 1e-3).Relu("relu2")
            .Pool("pool1", PoolKind.Max, Size2.Square(5)).Dropout("dropout1", 0.3)
            .Conv("conv3", 32, 7).BatchNorm("bn3", 1e-3).Relu("relu3")
            .Pool("pool2", PoolKind.Max, new Size2(4, 100)).Dropout("dropout2", 0.3)
            .Flatten("flatten").Linear("fc1", 100).Relu("relu4").Dropout("dropout3", 0.3)
            .Linear("fc2", classes).Activation("softmax", ActivationKind.Softmax)
            .Build();

    private static NetworkGraph Vggish(Shape input, int classes)
    {
        var b = new SequentialBuilder("vggish", input);
        b.Conv("conv1", 64, 3).Relu("relu1").Pool("pool1", PoolKind.Max, Size2.Square(2));
        b.Conv("conv2", 128, 3).Relu("relu2").Pool("pool2", PoolKind.Max, Size2.Square(2));
        b.Conv("conv3_1", 256, 3).Relu("relu3_1").Conv("conv3_2", 256, 3).Relu("relu3_2").Pool("pool3", PoolKind.Max, Size2.Square(2));
        b.Conv("conv4_1", 512, 3).Relu("relu4_1").Conv("conv4_2", 512, 3).Relu("relu4_2").Pool("pool4", PoolKind.Max, Size2.Square(2));
        b.Flatten("flatten").Linear("fc1", 4096).Relu("relu_fc1").Linear("fc2", 128).Relu("relu_fc2")
         .Linear("fc3", classes).Activation("softmax", ActivationKind.Softmax);
        return b.Build();
    }

    /// <summary>
    /// PANNs: batch norm over the mel bins (axis 2 of 1 x T x F), conv blocks (no bias) with 2x2 average pooling
    /// (1x1 after the last), mean over frequency, max + mean over time, fc + ReLU, sigmoid output.
    /// </summary>
    private static NetworkGraph Panns(string name, Shape input, int classes, int[] widths, int embedding, int convsPerBlock, int kernel)
    {
        var b = new SequentialBuilder(name, input).BatchNorm("bn0", axis: 2);
        for (var block = 1; block <= widths.Length; block++)
        {
            for (var c = 1; c <= convsPerBlock; c++)
            {
                b.Conv($"block{block}_conv{c}", widths[block - 1], kernel, bias: false)
                 .BatchNorm($"block{block}_bn{c}").Relu($"block{block}_relu{c}");
            }
            var pool = block == widths.Length ? Size2.Square(1) : Size2.Square(2);
            b.Pool($"block{block}_pool", PoolKind.Avg, pool).Dropout($"block{block}_dropout", 0.2);
        }
        b.GlobalPool("freq_mean", GlobalPoolKind.Avg, 2).GlobalPool("time_pool", GlobalPoolKind.AvgPlusMax, 1)
         .Dropout("dropout_embedding", 0.5).Linear("fc1", embedding).Relu("relu_fc1").Dropout("dropout_fc1", 0.5)
         .Linear("fc_audioset", classes).Activation("sigmoid", ActivationKind.Sigmoid);
        return b.Build();
    }
}
