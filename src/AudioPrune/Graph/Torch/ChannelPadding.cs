using AudioPrune.Graph.Nodes;
using static TorchSharp.torch;

namespace AudioPrune.Graph.Torch;

/// <summary>
/// The network the graph module runs when pruned widths (11, 22) do not fill oneDNN's channel blocks: every
/// convolution's filters rounded up to whole blocks, the extra ones zero. The blocked kernels compute those channels
/// anyway; made explicit, every feature map fills its blocks and can stay channels-last (see
/// <see cref="ActivationLayouts"/>), which trained DCASE21_Net's pruned widths about as fast as its full ones.
/// <para>
/// The extra channels stay exactly zero through training, so outputs, gradients and the real weights are those of
/// the unpadded network: zero filters and zero bias give zero maps; the padded batch-norm scale and shift are zero
/// (so is its output); every activation allowed on them maps 0 to 0; the next layer's weights on them are zero. Every
/// gradient reaching a padded weight is therefore a sum of products with a zero factor, and Adam and SGD (with weight
/// decay) leave a zero weight with a zero gradient at zero. Graphs where that could fail (concatenations, sigmoid or
/// softmax over feature maps, grouped convolutions, batch norm over other axes) are not padded.
/// </para>
/// </summary>
internal static class ChannelPadding
{
    /// <summary>
    /// The padded graph (same node names, wider shapes), or null when every convolution already fills whole blocks,
    /// the CPU has no blocks (<paramref name="channelBlock"/> 0) or the graph has a node the padding could change.
    /// </summary>
    public static NetworkGraph? Padded(NetworkGraph graph, int channelBlock)
    {
        if (channelBlock <= 0 || graph.NodesOf<Conv2dNode>().All(c => c.OutChannels % channelBlock == 0)) return null;
        if (!graph.Nodes.All(KeepsZeroChannels)) return null;
        var shapes = new Dictionary<string, Shape>(StringComparer.Ordinal) { [NetworkGraph.InputName] = graph.Input };
        var nodes = new List<Node>();
        foreach (var node in graph.Nodes)
        {
            var inputs = node.Inputs.Select(i => shapes[i]).ToArray();
            if (node is ActivationNode { Kind: ActivationKind.Softmax or ActivationKind.Sigmoid } && !inputs[0].Equals(graph.ShapeOf(node.Inputs[0])))
                return null; // would see the padded channels (sigmoid(0) is not 0)
            var widened = Widen(node, inputs, channelBlock);
            try { shapes[node.Name] = widened.InferShape(inputs); }
            catch (GraphException) { return null; } // an addition of padded and unpadded maps
            nodes.Add(widened);
        }
        return new NetworkGraph(graph.Name, graph.Input, nodes);
    }

    /// <summary>The part of a padded tensor that holds the unpadded one of <paramref name="shape"/> (a view).</summary>
    public static Tensor RealPart(Tensor padded, long[] shape)
    {
        var real = padded.alias();
        for (var axis = 0; axis < shape.Length; axis++)
        {
            if (real.shape[axis] == shape[axis]) continue;
            var narrowed = real.narrow(axis, 0, shape[axis]);
            real.Dispose();
            real = narrowed;
        }
        return real;
    }

    /// <summary>What an extra channel of this parameter holds: 1 for a running variance, 0 otherwise.</summary>
    public static float FillValue(ParameterSpec spec) => spec.Suffix == "running_var" ? 1f : 0f;

    private static Node Widen(Node node, Shape[] inputs, int block) => node switch
    {
        Conv2dNode c => c with { InChannels = inputs[0][0], OutChannels = (c.OutChannels + block - 1) / block * block },
        BatchNormNode b => b with { Channels = inputs[0][0] },
        LinearNode l => l with { InFeatures = inputs[0][0] },
        _ => node,
    };

    /// <summary>
    /// Nodes that map all-zero channels to all-zero channels and mix channels only through weights (softmax and
    /// sigmoid qualify only where they see no padded channel, which <see cref="Padded"/> checks).
    /// </summary>
    private static bool KeepsZeroChannels(Node node) => node switch
    {
        Conv2dNode c => c.Groups == 1,
        BatchNormNode b => b.Axis == 0,
        ActivationNode a => a.Kind is ActivationKind.Relu or ActivationKind.LeakyRelu or ActivationKind.Tanh or ActivationKind.Elu
            or ActivationKind.Gelu or ActivationKind.Softmax or ActivationKind.Sigmoid, // the last two only on unpadded inputs
        GlobalPoolNode g => !g.Axes.Contains(0),
        Pool2dNode or DropoutNode or FlattenNode or LinearNode or AddNode => true,
        _ => false,
    };
}
