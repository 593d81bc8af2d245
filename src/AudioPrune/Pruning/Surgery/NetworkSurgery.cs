using AudioPrune.Common;
using AudioPrune.Graph;
using AudioPrune.Graph.Nodes;

namespace AudioPrune.Pruning.Surgery;

/// <summary>
/// Rebuilds a network without the pruned filters (METHOD.md section 4). Kept channels are propagated along the
/// graph: every node's output carries the list of original feature indices it still holds on axis 0 (null = all).
/// Convs and batch norms are cut on their outputs, the next conv and a Linear after flatten or global pooling on
/// their inputs; element-wise nodes pass the list on. Couplings that would need several layers to agree (add,
/// concat, grouped convs) or that would change the network's output are refused, naming the node.
/// </summary>
public static class NetworkSurgery
{
    public static (NetworkGraph Graph, WeightMap Weights) Apply(
        NetworkGraph graph, WeightMap weights, IReadOnlyDictionary<string, int[]> keptByConv)
    {
        foreach (var (layer, kept) in keptByConv)
        {
            if (!graph.Contains(layer) || graph[layer] is not Conv2dNode conv)
                throw new UserInputException($"layer '{layer}': not a conv layer of '{graph.Name}'");
            CheckKept(layer, kept, conv.OutChannels);
        }
        var maps = new Dictionary<string, int[]?>(StringComparer.Ordinal) { [NetworkGraph.InputName] = null };
        var replacements = new Dictionary<string, Node>(StringComparer.Ordinal);
        var sliced = new Dictionary<string, TensorData>(StringComparer.Ordinal);

        foreach (var node in graph.Nodes)
        {
            var inputs = node.Inputs.Select(i => maps[i]).ToArray();
            var incoming = inputs.Length == 1 ? inputs[0] : null;
            if (inputs.Length > 1 && inputs.Any(m => m is not null))
                throw new UserInputException($"layer '{node.Name}': {node.Op} couples channels of several branches, and one of them is pruned; pruning into an {node.Op} is not supported");
            switch (node)
            {
                case Conv2dNode conv:
                    maps[node.Name] = Conv(conv, incoming, keptByConv.GetValueOrDefault(conv.Name), weights, replacements, sliced);
                    break;
                case BatchNormNode { Axis: 0 } bn when incoming is not null:
                    replacements[bn.Name] = bn with { Channels = incoming.Length };
                    foreach (var p in bn.Parameters) Slice(sliced, weights, p.FullName(bn.Name), 0, incoming);
                    maps[node.Name] = incoming;
                    break;
                case FlattenNode when incoming is not null:
                    maps[node.Name] = Expand(incoming, graph.ShapeOf(node.Inputs[0]));
                    break;
                case LinearNode linear when incoming is not null:
                    replacements[linear.Name] = linear with { InFeatures = incoming.Length };
                    Slice(sliced, weights, $"{linear.Name}.weight", 1, incoming);
                    maps[node.Name] = null;
                    break;
                default:
                    if (incoming is not null && !node.PassesChannelsThrough)
                        throw new UserInputException($"layer '{node.Name}': a {node.Op} node reads pruned channels and cannot pass them on; prune fewer layers");
                    maps[node.Name] = incoming;
                    break;
            }
        }
        if (maps[graph.Output.Name] is not null)
            throw new UserInputException($"layer '{graph.Output.Name}': the network's output would lose channels; do not prune the layer that produces it");

        var newGraph = graph.WithNodes(replacements);
        var newWeights = new WeightMap(weights.Entries.Select(e =>
            new KeyValuePair<string, TensorData>(e.Key, sliced.TryGetValue(e.Key, out var t) ? t : e.Value)));
        return (newGraph, newWeights.OrderedLike(newGraph));
    }

    private static int[]? Conv(Conv2dNode conv, int[]? incoming, int[]? kept, WeightMap weights,
        Dictionary<string, Node> replacements, Dictionary<string, TensorData> sliced)
    {
        if ((incoming is not null || kept is not null) && conv.Groups != 1)
            throw new UserInputException($"layer '{conv.Name}': grouped or depthwise convolution (groups {conv.Groups}) ties input to output channels; pruning it or its input is not supported");
        if (incoming is null && kept is null) return null;
        var weight = $"{conv.Name}.weight";
        if (incoming is not null) Slice(sliced, weights, weight, 1, incoming);
        if (kept is not null)
        {
            Slice(sliced, weights, weight, 0, kept);
            if (conv.Bias) Slice(sliced, weights, $"{conv.Name}.bias", 0, kept);
        }
        replacements[conv.Name] = conv with
        {
            InChannels = incoming?.Length ?? conv.InChannels,
            OutChannels = kept?.Length ?? conv.OutChannels,
        };
        return kept;
    }

    /// <summary>Channel c of a C x ... map owns features [c*rest, (c+1)*rest) after flattening.</summary>
    private static int[] Expand(int[] channels, Shape shape)
    {
        var rest = (int)shape.ElementsPerChannel;
        var features = new int[channels.Length * rest];
        for (var k = 0; k < channels.Length; k++)
        {
            for (var r = 0; r < rest; r++) features[k * rest + r] = channels[k] * rest + r;
        }
        return features;
    }

    /// <summary>Slices a tensor, starting from an earlier slice of it (a conv cut on both axes).</summary>
    private static void Slice(Dictionary<string, TensorData> sliced, WeightMap weights, string name, int axis, int[] indices)
    {
        var source = sliced.TryGetValue(name, out var done) ? done : weights[name];
        sliced[name] = TensorSlicing.Select(source, axis, indices);
    }

    private static void CheckKept(string layer, int[] kept, int filters)
    {
        if (kept.Length == 0) throw new UserInputException($"layer '{layer}': keeps no filters; at least one must stay");
        for (var i = 0; i < kept.Length; i++)
        {
            if (kept[i] < 0 || kept[i] >= filters)
                throw new UserInputException($"layer '{layer}': kept filter {kept[i]} is outside 0..{filters - 1}");
            if (i > 0 && kept[i] <= kept[i - 1])
                throw new UserInputException($"layer '{layer}': kept filters must be ascending and distinct");
        }
    }
}
