using System.Text.Json.Serialization;
using AudioPrune.Graph.Nodes;

namespace AudioPrune.Graph;

/// <summary>
/// One named operation of a network. Inputs name earlier nodes or <see cref="NetworkGraph.InputName"/>.
/// A node knows its output shape, its parameter tensors and its multiply-accumulates; nothing else
/// (weights live in a <see cref="WeightMap"/>, execution in the TorchSharp module builder).
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "op", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(Conv2dNode), "conv2d")]
[JsonDerivedType(typeof(BatchNormNode), "batchnorm")]
[JsonDerivedType(typeof(ActivationNode), "activation")]
[JsonDerivedType(typeof(Pool2dNode), "pool2d")]
[JsonDerivedType(typeof(GlobalPoolNode), "global_pool")]
[JsonDerivedType(typeof(DropoutNode), "dropout")]
[JsonDerivedType(typeof(FlattenNode), "flatten")]
[JsonDerivedType(typeof(LinearNode), "linear")]
[JsonDerivedType(typeof(AddNode), "add")]
[JsonDerivedType(typeof(ConcatNode), "concat")]
[JsonDerivedType(typeof(MulNode), "mul")]
[JsonDerivedType(typeof(ChannelSliceNode), "channel_slice")]
internal abstract record Node
{
    public required string Name { get; init; }
    public required string[] Inputs { get; init; }

    /// <summary>The op name of the file form ("conv2d"), taken from the JsonDerivedType list above: one source of truth.</summary>
    [JsonIgnore] public string Op => OpNames[GetType()];

    private static readonly Dictionary<Type, string> OpNames = typeof(Node)
        .GetCustomAttributes(typeof(JsonDerivedTypeAttribute), false).Cast<JsonDerivedTypeAttribute>()
        .ToDictionary(a => a.DerivedType, a => (string)a.TypeDiscriminator!);

    /// <summary>Output shape for the given input shapes; throws <see cref="GraphException"/> when they do not fit.</summary>
    public abstract Shape InferShape(IReadOnlyList<Shape> inputs);

    public virtual IReadOnlyList<ParameterSpec> Parameters => [];

    /// <summary>Multiply-accumulates for one example (conv and linear only, by the project's convention).</summary>
    public virtual long Macs(IReadOnlyList<Shape> inputs, Shape output) => 0;

    /// <summary>True when channel i of the output is channel i of the (single) input: pruning passes through.</summary>
    [JsonIgnore] public virtual bool PassesChannelsThrough => false;

    protected Shape SingleInput(IReadOnlyList<Shape> inputs)
    {
        if (inputs.Count != 1) throw GraphException.At(this, $"takes one input, got {inputs.Count}");
        return inputs[0];
    }

    protected Shape FeatureMapInput(IReadOnlyList<Shape> inputs)
    {
        var input = SingleInput(inputs);
        if (input.Rank != 3) throw GraphException.At(this, $"needs a CxHxW feature map, got {input}");
        return input;
    }

    /// <summary>Output length of a sliding window (floor mode); 0 when the window does not fit.</summary>
    protected static int PooledLength(int length, int kernel, int stride, int padding)
    {
        var span = length + 2 * padding - kernel;
        // Integer division truncates toward zero: a window up to a stride longer than its input would get length 1.
        return span < 0 ? 0 : span / stride + 1;
    }
}
