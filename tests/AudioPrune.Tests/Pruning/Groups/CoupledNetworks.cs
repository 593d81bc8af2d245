using AudioPrune.Graph;
using AudioPrune.Graph.Nodes;

namespace AudioPrune.Tests.Pruning.Groups;

/// <summary>
/// Small networks with every coupling pattern, built from existing node types, and seeded weights with
/// non-trivial batch-norm statistics (so a wrong slice of them shows in the output).
/// </summary>
internal static class CoupledNetworks
{
    public static readonly string[] Patterns = ["plain", "identity_residual", "projection_residual", "inverted_residual", "concat"];

    public static NetworkGraph Create(string pattern) => pattern switch
    {
        "plain" => Graph(pattern, [.. Block("stem", "input", 2, 6), .. Block("body", "stem_relu", 6, 8), .. Head("body_relu", 8)]),
        "identity_residual" => Graph(pattern,
        [
            .. Block("stem", "input", 2, 8), .. Block("c1", "stem_relu", 8, 8), Conv("c2", "c1_relu", 8, 8), Bn("c2_bn", "c2", 8),
            new AddNode { Name = "sum", Inputs = ["stem_relu", "c2_bn"] }, Relu("sum_relu", "sum"),
            .. Block("head", "sum_relu", 8, 6), .. Head("head_relu", 6),
        ]),
        "projection_residual" => Graph(pattern,
        [
            .. Block("stem", "input", 2, 6), .. Block("c1", "stem_relu", 6, 8), Conv("c2", "c1_relu", 8, 8), Bn("c2_bn", "c2", 8),
            Conv("proj", "stem_relu", 6, 8, kernel: 1), Bn("proj_bn", "proj", 8),
            new AddNode { Name = "sum", Inputs = ["c2_bn", "proj_bn"] }, Relu("sum_relu", "sum"), .. Head("sum_relu", 8),
        ]),
        "inverted_residual" => Graph(pattern,
        [
            .. Block("stem", "input", 2, 4), .. Block("expand", "stem_relu", 4, 8, kernel: 1),
            Conv("dw", "expand_relu", 8, 8, groups: 8), Bn("dw_bn", "dw", 8), Relu("dw_relu", "dw_bn"),
            Conv("project", "dw_relu", 8, 4, kernel: 1), Bn("project_bn", "project", 4),
            new AddNode { Name = "sum", Inputs = ["stem_relu", "project_bn"] }, .. Head("sum", 4),
        ]),
        "concat" => Graph(pattern,
        [
            .. Block("stem", "input", 2, 4), .. Block("b1", "stem_relu", 4, 3), .. Block("b2", "stem_relu", 4, 5),
            new ConcatNode { Name = "cat", Inputs = ["b1_relu", "b2_relu"] }, .. Block("mix", "cat", 8, 6),
            new Pool2dNode { Name = "pool", Inputs = ["mix_relu"], Kind = PoolKind.Max, Kernel = Size2.Square(2), Stride = Size2.Square(2) },
            new FlattenNode { Name = "flat", Inputs = ["pool"] }, new LinearNode { Name = "fc", Inputs = ["flat"], InFeatures = 96, OutFeatures = 3 },
        ]),
        _ => throw new ArgumentException(pattern),
    };

    public static WeightMap Weights(NetworkGraph graph, int seed)
    {
        var weights = WeightInitializer.Initialize(graph, seed);
        var random = new Random(seed);
        foreach (var (name, tensor) in weights.Entries)
        {
            var (low, high) = name.Split('.')[1] switch
            {
                "running_var" => (0.5, 2.0),
                "running_mean" => (-0.3, 0.3),
                "bias" => (-0.3, 0.3),
                _ when graph[name.Split('.')[0]] is BatchNormNode => (0.5, 1.5),
                _ => (double.NaN, double.NaN),
            };
            if (double.IsNaN(low)) continue;
            for (var i = 0; i < tensor.Data.Length; i++) tensor.Data[i] = (float)(low + (high - low) * random.NextDouble());
        }
        return weights;
    }

    public static double[] Input(NetworkGraph graph, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, (int)graph.Input.Elements).Select(_ => random.NextDouble() * 2 - 1).ToArray();
    }

    private static NetworkGraph Graph(string name, Node[] nodes) => new(name, new Shape(2, 8, 8), nodes);

    /// <summary>conv (3x3 same unless given) + batch norm + relu, named name, name_bn, name_relu.</summary>
    public static Node[] Block(string name, string input, int inChannels, int outChannels, int kernel = 3) =>
        [Conv(name, input, inChannels, outChannels, kernel), Bn($"{name}_bn", name, outChannels), Relu($"{name}_relu", $"{name}_bn")];

    public static Node[] Head(string input, int channels) =>
    [
        new GlobalPoolNode { Name = "gap", Inputs = [input], Kind = GlobalPoolKind.Avg, Axes = [1, 2] },
        new LinearNode { Name = "fc", Inputs = ["gap"], InFeatures = channels, OutFeatures = 3 },
    ];

    public static Conv2dNode Conv(string name, string input, int inChannels, int outChannels, int kernel = 3, int groups = 1) => new()
    {
        Name = name, Inputs = [input], InChannels = inChannels, OutChannels = outChannels, Kernel = Size2.Square(kernel),
        Padding = Size2.Square(kernel / 2), Groups = groups,
    };

    public static BatchNormNode Bn(string name, string input, int channels) => new() { Name = name, Inputs = [input], Channels = channels };

    public static ActivationNode Relu(string name, string input) => new() { Name = name, Inputs = [input], Kind = ActivationKind.Relu };
}
