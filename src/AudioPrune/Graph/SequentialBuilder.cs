using AudioPrune.Graph.Nodes;

namespace AudioPrune.Graph;

/// <summary>
/// Builds a graph layer after layer, each node reading the previous one, with shapes tracked so that
/// in-channel and in-feature counts are filled in automatically. Used by the model zoo and the importers.
/// Branches (residual shortcuts, gates) continue from an earlier node with <see cref="From"/> and meet again in
/// a node that names its inputs, added with <see cref="Add"/>.
/// </summary>
internal sealed class SequentialBuilder(string name, Shape input)
{
    private readonly List<Node> nodes = [];
    private readonly Dictionary<string, Shape> shapes = new() { [NetworkGraph.InputName] = input };
    private readonly Shape graphInput = input;
    private Shape current = input;
    private string last = NetworkGraph.InputName;

    public Shape CurrentShape => current;
    public string Last => last;

    /// <summary>Adds a node reading the tensors it names; it becomes the one the next layer reads.</summary>
    public SequentialBuilder Add(Node node)
    {
        current = node.InferShape(node.Inputs.Select(ShapeOf).ToArray());
        nodes.Add(node);
        shapes[node.Name] = current;
        last = node.Name;
        return this;
    }

    /// <summary>The next layer reads <paramref name="nodeName"/> (an earlier node, or the graph input) instead of the last one.</summary>
    public SequentialBuilder From(string nodeName)
    {
        current = ShapeOf(nodeName);
        last = nodeName;
        return this;
    }

    public Shape ShapeOf(string nodeName) =>
        shapes.TryGetValue(nodeName, out var shape) ? shape : throw new GraphException($"no node '{nodeName}' has been added yet");

    private string[] Previous => [last];

    public SequentialBuilder Conv(string nodeName, int outChannels, int kernel, bool same = true, bool bias = true, int stride = 1) =>
        Conv(nodeName, outChannels, Size2.Square(kernel), same ? Conv2dNode.SamePadding(Size2.Square(kernel)) : Size2.Square(0), bias, stride);

    public SequentialBuilder Conv(string nodeName, int outChannels, Size2 kernel, Size2 padding, bool bias = true, int stride = 1,
        int groups = 1) =>
        Add(new Conv2dNode
        {
            Name = nodeName, Inputs = Previous, InChannels = current.Channels, OutChannels = outChannels,
            Kernel = kernel, Padding = padding, Stride = Size2.Square(stride), Groups = groups, Bias = bias,
        });

    public SequentialBuilder BatchNorm(string nodeName, double epsilon = 1e-5, int axis = 0, double momentum = 0.1) =>
        Add(new BatchNormNode { Name = nodeName, Inputs = Previous, Channels = current[axis], Epsilon = epsilon, Axis = axis, Momentum = momentum });

    public SequentialBuilder Activation(string nodeName, ActivationKind kind) =>
        Add(new ActivationNode { Name = nodeName, Inputs = Previous, Kind = kind });

    public SequentialBuilder Relu(string nodeName) => Activation(nodeName, ActivationKind.Relu);

    public SequentialBuilder Pool(string nodeName, PoolKind kind, Size2 kernel, Size2? stride = null) =>
        Add(new Pool2dNode { Name = nodeName, Inputs = Previous, Kind = kind, Kernel = kernel, Stride = stride ?? kernel });

    public SequentialBuilder GlobalPool(string nodeName, GlobalPoolKind kind, params int[] axes) =>
        Add(new GlobalPoolNode { Name = nodeName, Inputs = Previous, Kind = kind, Axes = axes });

    public SequentialBuilder Dropout(string nodeName, double p) => Add(new DropoutNode { Name = nodeName, Inputs = Previous, P = p });

    public SequentialBuilder Flatten(string nodeName) => Add(new FlattenNode { Name = nodeName, Inputs = Previous });

    public SequentialBuilder Linear(string nodeName, int outFeatures, bool bias = true) =>
        Add(new LinearNode { Name = nodeName, Inputs = Previous, InFeatures = current[0], OutFeatures = outFeatures, Bias = bias });

    public NetworkGraph Build() => new(name, graphInput, nodes);
}
