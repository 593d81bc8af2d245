namespace AudioPrune.Graph.Nodes;

/// <summary>
/// Batch normalisation in inference form y = (x - mean) / sqrt(var + eps) * gamma + beta over one axis.
/// Axis 0 (channels) is the usual BatchNorm2d/BatchNorm1d; CNN14 normalises its mel bins (axis 2 of C,T,F).
/// Epsilon is part of the graph because Keras (1e-3) and PyTorch (1e-5) differ.
/// </summary>
internal sealed record BatchNormNode : Node
{
    public required int Channels { get; init; }
    public double Epsilon { get; init; } = 1e-5;
    public double Momentum { get; init; } = 0.1;
    public int Axis { get; init; }

    public override bool PassesChannelsThrough => Axis == 0;

    public override Shape InferShape(IReadOnlyList<Shape> inputs)
    {
        var input = SingleInput(inputs);
        if (Axis < 0 || Axis >= input.Rank) throw GraphException.At(this, $"axis {Axis} is outside the input {input}");
        if (input[Axis] != Channels)
            throw GraphException.At(this, $"normalises {Channels} channels, its input has {input[Axis]} on axis {Axis} ({input})");
        if (!(Epsilon > 0)) throw GraphException.At(this, "epsilon must be positive");
        return input;
    }

    public override IReadOnlyList<ParameterSpec> Parameters =>
    [
        new("weight", [Channels]), new("bias", [Channels]),
        new("running_mean", [Channels], Trainable: false), new("running_var", [Channels], Trainable: false),
    ];
}
