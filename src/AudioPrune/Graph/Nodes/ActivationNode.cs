using System.Text.Json.Serialization;

namespace AudioPrune.Graph.Nodes;

[JsonConverter(typeof(JsonStringEnumConverter<ActivationKind>))]
internal enum ActivationKind { Relu, LeakyRelu, Sigmoid, Tanh, Elu, Gelu, Softmax, HardSigmoid, HardSwish, Silu, Clip }

/// <summary>
/// Element-wise activation, or a softmax over the feature axis (axis 0) as a classification head.
/// A graph that ends in Softmax or Sigmoid is trained on the values before that head.
/// HardSigmoid is clamp(alpha x + beta, 0, 1) (PyTorch's Hardsigmoid: alpha 1/6, beta 1/2); HardSwish is
/// x HardSigmoid(x) with PyTorch's constants; Silu is x sigmoid(x); Clip is clamp(x, min, max) (ReLU6: 0, 6).
/// </summary>
internal sealed record ActivationNode : Node
{
    public const double DefaultHardSigmoidAlpha = 1.0 / 6;
    public const double DefaultHardSigmoidBeta = 0.5;

    public required ActivationKind Kind { get; init; }

    /// <summary>Negative slope for LeakyRelu.</summary>
    public double Slope { get; init; } = 0.01;

    /// <summary>HardSigmoid's slope; null: 1/6. Written only when set, so older graph files read and write unchanged.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? Alpha { get; init; }

    /// <summary>HardSigmoid's offset; null: 1/2.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? Beta { get; init; }

    /// <summary>Clip's lower bound; null: none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? Min { get; init; }

    /// <summary>Clip's upper bound; null: none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? Max { get; init; }

    [JsonIgnore] public double HardSigmoidAlpha => Alpha ?? DefaultHardSigmoidAlpha;
    [JsonIgnore] public double HardSigmoidBeta => Beta ?? DefaultHardSigmoidBeta;

    public override bool PassesChannelsThrough => Kind != ActivationKind.Softmax;

    /// <summary>True for the output heads that turn logits into probabilities.</summary>
    [JsonIgnore] public bool IsProbabilityHead => Kind is ActivationKind.Softmax or ActivationKind.Sigmoid;

    public override Shape InferShape(IReadOnlyList<Shape> inputs)
    {
        var input = SingleInput(inputs);
        if (Kind == ActivationKind.Softmax && input.Rank != 1)
            throw GraphException.At(this, $"softmax is supported on a vector, got {input}");
        if (Kind == ActivationKind.Clip && Min is { } low && Max is { } high && !(low <= high))
            throw GraphException.At(this, $"clip bounds [{low}, {high}] are empty");
        if (new[] { Alpha, Beta, Min, Max }.Any(v => v is { } x && !double.IsFinite(x)))
            throw GraphException.At(this, "activation constants must be finite");
        return input;
    }
}
