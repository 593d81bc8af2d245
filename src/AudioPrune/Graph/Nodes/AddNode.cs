namespace AudioPrune.Graph.Nodes;

/// <summary>Element-wise sum of two or more inputs of one shape (residual connections).</summary>
internal sealed record AddNode : Node
{

    public override Shape InferShape(IReadOnlyList<Shape> inputs)
    {
        if (inputs.Count < 2) throw GraphException.At(this, "needs at least two inputs");
        if (inputs.Any(s => !s.Equals(inputs[0])))
            throw GraphException.At(this, $"inputs differ in shape: {string.Join(", ", inputs)}");
        return inputs[0];
    }
}
