namespace AudioPrune.Graph.Nodes;

/// <summary>
/// Element-wise product of two inputs with the same channels: of one shape, or a per-channel gate broadcast over
/// the other's H x W (a squeeze-excitation): C x 1 x 1 as ONNX writes it, or a vector of C as a gate computed by
/// linear layers (EfficientAT's MobileNets). The output has the larger shape.
/// </summary>
internal sealed record MulNode : Node
{
    public override Shape InferShape(IReadOnlyList<Shape> inputs)
    {
        if (inputs.Count != 2) throw GraphException.At(this, $"takes two inputs, got {inputs.Count}");
        var (a, b) = (inputs[0], inputs[1]);
        if (a.Equals(b)) return a;
        if (a.Channels == b.Channels)
        {
            if (IsGate(b, a)) return a;
            if (IsGate(a, b)) return b;
        }
        throw GraphException.At(this, $"multiplies {a} by {b}: shapes must be equal or one a per-channel gate (Cx1x1 or C)");
    }

    /// <summary>Whether <paramref name="gate"/> is a vector of C, or C x 1 x 1 of the map's rank.</summary>
    public static bool IsGate(Shape gate, Shape map) =>
        map.Rank > 1 && (gate.Rank == 1 || (gate.Rank == map.Rank && gate.ElementsPerChannel == 1));
}
