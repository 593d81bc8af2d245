namespace AudioPrune.Graph.Nodes;

/// <summary>
/// Element-wise product of two inputs with the same channels: of one shape, or a per-channel gate (C x 1 x 1, a
/// squeeze-excitation) broadcast over the other's H x W. The output has the larger shape.
/// </summary>
public sealed record MulNode : Node
{
    public override Shape InferShape(IReadOnlyList<Shape> inputs)
    {
        if (inputs.Count != 2) throw GraphException.At(this, $"takes two inputs, got {inputs.Count}");
        var (a, b) = (inputs[0], inputs[1]);
        if (a.Equals(b)) return a;
        if (a.Rank == b.Rank && a.Channels == b.Channels)
        {
            if (IsGate(b)) return a;
            if (IsGate(a)) return b;
        }
        throw GraphException.At(this, $"multiplies {a} by {b}: shapes must be equal or one a per-channel gate Cx1x1");
    }

    private static bool IsGate(Shape shape) => shape.ElementsPerChannel == 1;
}
