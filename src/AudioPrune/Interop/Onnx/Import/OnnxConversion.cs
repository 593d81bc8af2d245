using AudioPrune.Common;
using AudioPrune.Graph;
using Onnx;

namespace AudioPrune.Interop.Onnx.Import;

/// <summary>
/// The state of one import while the converters run node by node: which graph node (or known constant) holds each
/// ONNX tensor, the graph nodes made so far with their shapes, their weights, and pads waiting for the pool or
/// convolution that reads them. Every refusal goes through <see cref="Fail"/>: one line naming the file and the node.
/// </summary>
internal sealed class OnnxConversion(string path, int opset, IReadOnlyDictionary<string, OnnxConstant> initial)
{
    private readonly Dictionary<string, OnnxConstant> constants = new(initial, StringComparer.Ordinal);
    private readonly Dictionary<string, string> producers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Shape> shapes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PendingPad> pads = new(StringComparer.Ordinal);
    private readonly HashSet<float[]> stored = new(ReferenceEqualityComparer.Instance);

    /// <summary>A zero Pad of H and W that the next pool or convolution takes over.</summary>
    public sealed record PendingPad(string Source, Size2 Padding);

    public string Path => path;
    public int Opset => opset;
    public List<Node> Nodes { get; } = [];
    public WeightMap Weights { get; } = new();
    public OnnxLayerNames Names { get; } = new();

    public void DefineInput(string onnxName, Shape shape)
    {
        producers[onnxName] = NetworkGraph.InputName;
        shapes[NetworkGraph.InputName] = shape;
    }

    public bool IsConstant(string tensor) => constants.ContainsKey(tensor);

    public bool IsGraphValue(string tensor) => producers.ContainsKey(tensor);

    public OnnxConstant? ConstantOrNull(string? tensor) => tensor is not null && constants.TryGetValue(tensor, out var c) ? c : null;

    public OnnxConstant Constant(NodeProto node, int index, string what) =>
        ConstantOrNull(node.OptionalInput(index)) ?? throw Fail(node, $"needs a constant {what} (input {index}); it is computed at run time");

    public void SetConstant(string tensor, OnnxConstant value) => constants[tensor] = value;

    /// <summary>The graph node that holds input <paramref name="index"/>, and its per-example shape.</summary>
    public (string Name, Shape Shape) Value(NodeProto node, int index)
    {
        var tensor = node.OptionalInput(index) ?? throw Fail(node, $"has no input {index}");
        if (pads.ContainsKey(tensor)) throw Fail(node, "reads the output of a Pad; a Pad is supported only before AveragePool, MaxPool or Conv");
        if (!producers.TryGetValue(tensor, out var producer))
            throw Fail(node, constants.ContainsKey(tensor) ? $"reads the constant '{tensor}' where a feature map is expected" : $"reads '{tensor}', which no earlier node writes");
        return (producer, shapes[producer]);
    }

    /// <summary>The feature map a pool or convolution reads, with any zero padding a Pad before it added.</summary>
    public (string Name, Shape Shape, Size2 Padding) PaddedValue(NodeProto node, int index)
    {
        var tensor = node.OptionalInput(index) ?? throw Fail(node, $"has no input {index}");
        if (!pads.TryGetValue(tensor, out var pad))
        {
            var (name, shape) = Value(node, index);
            return (name, shape, new Size2(0, 0));
        }
        var producer = producers[pad.Source];
        return (producer, shapes[producer], pad.Padding);
    }

    public void DeferPad(string output, string source, Size2 padding) => pads[output] = new PendingPad(source, padding);

    /// <summary>Adds a graph node whose output is ONNX tensor <paramref name="output"/>, with its weights.</summary>
    public void Emit(NodeProto source, string output, Node node, params (string Suffix, Graph.TensorData Data)[] weights)
    {
        Shape shape;
        try
        {
            shape = node.InferShape(node.Inputs.Select(i => shapes[i]).ToArray());
        }
        catch (GraphException e)
        {
            throw Fail(source, $"does not fit its inputs: {e.Message}");
        }
        var expected = node.Parameters.ToDictionary(p => p.Suffix, p => p.Shape);
        foreach (var (suffix, data) in weights)
        {
            if (!data.ShapeEquals(expected[suffix]))
                throw Fail(source, $"has a {suffix} of shape {data.ShapeText} where [{string.Join(", ", expected[suffix])}] is needed");
            StoreWeight($"{node.Name}.{suffix}", data);
        }
        Nodes.Add(node);
        shapes[node.Name] = shape;
        producers[output] = node.Name;
    }

    /// <summary>Stores a layer's tensor; one PyTorch shared between layers (equal initializers merged) is copied, so pruning one leaves the other.</summary>
    public void StoreWeight(string name, Graph.TensorData data) => Weights[name] = stored.Add(data.Data) ? data : data.Clone();

    /// <summary>Makes <paramref name="output"/> another name of what <paramref name="input"/> holds (Identity, Dropout).</summary>
    public void Alias(string output, string input)
    {
        if (constants.TryGetValue(input, out var c)) constants[output] = c;
        else if (producers.TryGetValue(input, out var p)) producers[output] = p;
        else if (pads.TryGetValue(input, out var pad)) pads[output] = pad;
    }

    /// <summary>How many nodes (and graph outputs) read each ONNX tensor.</summary>
    public IReadOnlyDictionary<string, int> Readers { get; set; } = new Dictionary<string, int>();

    public string? ProducerOf(string tensor) => producers.GetValueOrDefault(tensor);

    public Node? NodeNamed(string name) => Nodes.FirstOrDefault(n => n.Name == name);

    public void Replace(Node node, Node replacement) => Nodes[Nodes.IndexOf(node)] = replacement;

    public UserInputException Fail(NodeProto node, string problem) =>
        UserInputException.InFile(path, $"node '{node.Label()}' ({node.OpType}) {problem}");
}
