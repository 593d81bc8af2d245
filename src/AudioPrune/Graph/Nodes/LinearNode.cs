namespace AudioPrune.Graph.Nodes;

/// <summary>Fully connected layer on a vector. Weight (out, in), PyTorch layout.</summary>
internal sealed record LinearNode : Node
{
    public required int InFeatures { get; init; }
    public required int OutFeatures { get; init; }
    public bool Bias { get; init; } = true;


    public override Shape InferShape(IReadOnlyList<Shape> inputs)
    {
        var input = SingleInput(inputs);
        if (InFeatures <= 0 || OutFeatures <= 0) throw GraphException.At(this, "feature counts must be positive");
        if (input.Rank != 1) throw GraphException.At(this, $"needs a vector input (add a flatten or global_pool before it), got {input}");
        if (input[0] != InFeatures)
            throw GraphException.At(this, $"expects {InFeatures} input features, its input has {input[0]}");
        return new Shape(OutFeatures);
    }

    public override IReadOnlyList<ParameterSpec> Parameters => Bias
        ? [new("weight", [OutFeatures, InFeatures]), new("bias", [OutFeatures])]
        : [new("weight", [OutFeatures, InFeatures])];

    public override long Macs(IReadOnlyList<Shape> inputs, Shape output) => (long)InFeatures * OutFeatures;
}
