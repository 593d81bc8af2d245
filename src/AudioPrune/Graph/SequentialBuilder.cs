using AudioPrune.Graph.Nodes;

namespace AudioPrune.Graph;

/// <summary>
/// Builds a graph layer after layer, each node reading the previous one, with shapes tracked so that
/// in-channel and in-feature counts are filled in automatically. Used by the model zoo and the importers.
/// </summary>
public sealed class SequentialBuilder(string name, Shape input)
{
    private readonly List<Node> nodes = [];
    private readonly Shape graphInput = input;
    private Shape current = input;
    private string last = NetworkGraph.InputName;

    public Shape CurrentShape => current;
    public string Last => last;

    public SequentialBuilder Add(Node node)
    {
        current = node.InferShape([current]);
        nodes.Add(node);
        last = node.Name;
        return this;
    }

    private string[] From => [last];

    public SequentialBuilder Conv(string nodeName, int outChannels, int kernel, bool same = true, bool bias = true, int stride = 1) =>
        Conv(nodeName, outChannels, Size2.Square(kernel), same ? Conv2dNode.SamePadding(Size2.Square(kernel)) : Size2.Square(0), bias, stride);

    public SequentialBuilder Conv(string nodeName, int outChannels, Size2 kernel, Size2 padding, bool bias = true, int stride = 1) =>
        Add(new Conv2dNode
        {
            Name = nodeName, Inputs = From, InChannels = current.Channels, OutChannels = outChannels,
            Kernel = kernel, Padding = padding, Stride = Size2.Square(stride), Bias = bias,
        });

    public SequentialBuilder BatchNorm(string nodeName, double epsilon = 1e-5, int axis = 0) =>
        Add(new BatchNormNode { Name = nodeName, Inputs = From, Channels = current[axis], Epsilon = epsilon, Axis = axis });

    public SequentialBuilder Activation(string nodeName, ActivationKind kind) =>
        Add(new ActivationNode { Name = nodeName, Inputs = From, Kind = kind });

    public SequentialBuilder Relu(string nodeName) => Activation(nodeName, ActivationKind.Relu);

    public SequentialBuilder Pool(string nodeName, PoolKind kind, Size2 kernel, Size2? stride = null) =>
        Add(new Pool2dNode { Name = nodeName, Inputs = From, Kind = kind, Kernel = kernel, Stride = stride ?? kernel });

    public SequentialBuilder GlobalPool(string nodeName, GlobalPoolKind kind, params int[] axes) =>
        Add(new GlobalPoolNode { Name = nodeName, Inputs = From, Kind = kind, Axes = axes });

    public SequentialBuilder Dropout(string nodeName, double p) => Add(new DropoutNode { Name = nodeName, Inputs = From, P = p });

    public SequentialBuilder Flatten(string nodeName) => Add(new FlattenNode { Name = nodeName, Inputs = From });

    public SequentialBuilder Linear(string nodeName, int outFeatures, bool bias = true) =>
        Add(new LinearNode { Name = nodeName, Inputs = From, InFeatures = current[0], OutFeatures = outFeatures, Bias = bias });

    public NetworkGraph Build() => new(name, graphInput, nodes);
}
