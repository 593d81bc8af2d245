using System.Text.RegularExpressions;
using AudioPrune.Common;
using AudioPrune.Graph.Nodes;

namespace AudioPrune.Graph;

/// <summary>
/// A network's architecture as data: an input shape and named nodes in execution order, the last one being
/// the output. Construction validates it (unique names, inputs defined before use, shapes that fit) and
/// infers every node's output shape, so a NetworkGraph that exists is consistent. Declared sizes are bounded before
/// anything is allocated: at most <see cref="InputLimits.MaxGraphParameters"/> parameters in all and at most
/// <see cref="InputLimits.MaxActivationBytesPerExample"/> bytes for any one tensor of an example (input included).
/// </summary>
internal sealed partial class NetworkGraph
{
    public const string InputName = "input";

    private readonly Dictionary<string, Node> byName;
    private readonly Dictionary<string, Shape> shapes;
    private double declaredParameters;

    public NetworkGraph(string name, Shape input, IEnumerable<Node> nodes)
    {
        Name = name;
        Input = input;
        Nodes = nodes.ToArray();
        if (Nodes.Count == 0) throw new GraphException($"graph '{name}' has no nodes");
        byName = new Dictionary<string, Node>(StringComparer.Ordinal);
        shapes = new Dictionary<string, Shape>(StringComparer.Ordinal) { [InputName] = input };
        if (ActivationBytes(input) > InputLimits.MaxActivationBytesPerExample)
            throw new GraphException($"graph '{name}': input {input} takes {ActivationBytes(input):G3} bytes per example, more than the limit of {InputLimits.MaxActivationBytesPerExample:N0}");
        foreach (var node in Nodes) Add(node);
    }

    public string Name { get; }
    public Shape Input { get; }
    public IReadOnlyList<Node> Nodes { get; }
    public Node Output => Nodes[^1];
    public Shape OutputShape => shapes[Output.Name];

    public Node this[string name] => byName.TryGetValue(name, out var node)
        ? node : throw new GraphException($"graph '{Name}' has no node '{name}'");

    public bool Contains(string name) => byName.ContainsKey(name);

    public Shape ShapeOf(string nodeOrInput) => shapes.TryGetValue(nodeOrInput, out var shape)
        ? shape : throw new GraphException($"graph '{Name}' has no node '{nodeOrInput}'");

    public IReadOnlyList<Shape> InputShapesOf(Node node) => node.Inputs.Select(ShapeOf).ToArray();

    /// <summary>Nodes that read the given node's output, in execution order.</summary>
    public IReadOnlyList<Node> ConsumersOf(string name) => Nodes.Where(n => n.Inputs.Contains(name)).ToArray();

    public IEnumerable<T> NodesOf<T>() where T : Node => Nodes.OfType<T>();

    /// <summary>The convolution layers, in network order (the layers pruning works on).</summary>
    public IReadOnlyList<Conv2dNode> ConvLayers => Nodes.OfType<Conv2dNode>().ToArray();

    /// <summary>Every parameter tensor by full name ("conv1.weight") with its node.</summary>
    public IEnumerable<(string Name, ParameterSpec Spec, Node Node)> ParameterTensors =>
        Nodes.SelectMany(n => n.Parameters.Select(p => (p.FullName(n.Name), p, n)));

    /// <summary>A copy with some nodes replaced (same names); the result is validated again.</summary>
    public NetworkGraph WithNodes(IReadOnlyDictionary<string, Node> replacements) =>
        new(Name, Input, Nodes.Select(n => replacements.TryGetValue(n.Name, out var r) ? r : n));

    public NetworkGraph WithName(string name) => new(name, Input, Nodes);

    /// <summary>
    /// The graph minus a trailing softmax/sigmoid head: what training optimises (cross-entropy on logits).
    /// Returns the same graph when there is no head.
    /// </summary>
    public NetworkGraph WithoutProbabilityHead() =>
        Output is ActivationNode { IsProbabilityHead: true } && Nodes.Count > 1
            ? new NetworkGraph(Name, Input, Nodes.Take(Nodes.Count - 1))
            : this;

    public ActivationKind? ProbabilityHead => Output is ActivationNode { IsProbabilityHead: true } head ? head.Kind : null;

    /// <summary>Whether <paramref name="name"/> may name a node (see the pattern below).</summary>
    public static bool IsValidNodeName(string? name) => !string.IsNullOrEmpty(name) && ValidName().IsMatch(name);

    private void Add(Node node)
    {
        if (!IsValidNodeName(node.Name))
            throw new GraphException($"graph '{Name}': node name '{node.Name}' must be letters, digits and underscores, starting with a letter, in parts joined by dots (a PyTorch module path like layer1.0.conv1)");
        if (node.Name == InputName || byName.ContainsKey(node.Name))
            throw new GraphException($"graph '{Name}': node name '{node.Name}' is used twice");
        if (node.Inputs is null || node.Inputs.Length == 0)
            throw GraphException.At(node, "has no inputs");
        foreach (var input in node.Inputs)
        {
            if (!shapes.ContainsKey(input))
                throw GraphException.At(node, $"reads '{input}', which is not the graph input or an earlier node");
        }
        shapes[node.Name] = node.InferShape(node.Inputs.Select(i => shapes[i]).ToArray());
        CheckDeclaredSize(node, shapes[node.Name]);
        byName[node.Name] = node;
    }

    /// <summary>Sizes are multiplied in floating point, so dimensions near int.MaxValue cannot overflow the check.</summary>
    private void CheckDeclaredSize(Node node, Shape output)
    {
        if (ActivationBytes(output) > InputLimits.MaxActivationBytesPerExample)
            throw GraphException.At(node, $"its output {output} takes {ActivationBytes(output):G3} bytes per example, more than the limit of {InputLimits.MaxActivationBytesPerExample:N0}");
        declaredParameters += node.Parameters.Sum(p => p.Shape.Aggregate(1.0, (a, d) => a * d));
        if (declaredParameters > InputLimits.MaxGraphParameters)
            throw GraphException.At(node, $"brings the network to {declaredParameters:G3} parameters, more than the limit of {InputLimits.MaxGraphParameters:N0}");
    }

    private static double ActivationBytes(Shape shape) => shape.Dims.Aggregate((double)sizeof(float), (a, d) => a * d);

    /// <summary>"conv1", or a PyTorch module path "features.3.block.1.0": parts after a dot may start with a digit.</summary>
    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$")]
    private static partial Regex ValidName();
}
