using System.Text.Json.Serialization;

namespace AudioPrune.Graph.Nodes;

[JsonConverter(typeof(JsonStringEnumConverter<ActivationKind>))]
public enum ActivationKind { Relu, LeakyRelu, Sigmoid, Tanh, Elu, Gelu, Softmax }

/// <summary>
/// Element-wise activation, or a softmax over the feature axis (axis 0) as a classification head.
/// A graph that ends in Softmax or Sigmoid is trained on the values before that head.
/// </summary>
public sealed record ActivationNode : Node
{
    public required ActivationKind Kind { get; init; }

    /// <summary>Negative slope for LeakyRelu.</summary>
    public double Slope { get; init; } = 0.01;

    public override bool PassesChannelsThrough => Kind != ActivationKind.Softmax;

    /// <summary>True for the output heads that turn logits into probabilities.</summary>
    [JsonIgnore] public bool IsProbabilityHead => Kind is ActivationKind.Softmax or ActivationKind.Sigmoid;

    public override Shape InferShape(IReadOnlyList<Shape> inputs)
    {
        var input = SingleInput(inputs);
        if (Kind == ActivationKind.Softmax && input.Rank != 1)
            throw GraphException.At(this, $"softmax is supported on a vector, got {input}");
        return input;
    }
}
