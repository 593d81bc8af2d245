namespace AudioPrune.Graph.Nodes;

/// <summary>Dropout while training; identity in evaluation.</summary>
internal sealed record DropoutNode : Node
{
    public required double P { get; init; }

    public override bool PassesChannelsThrough => true;

    public override Shape InferShape(IReadOnlyList<Shape> inputs)
    {
        if (P is < 0 or >= 1 || double.IsNaN(P)) throw GraphException.At(this, $"probability {P} must be in [0, 1)");
        return SingleInput(inputs);
    }
}
