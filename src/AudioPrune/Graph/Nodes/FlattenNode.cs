namespace AudioPrune.Graph.Nodes;

/// <summary>Flattens C x H x W to a vector in channel-major (NCHW) order: channel c owns [c*H*W, (c+1)*H*W).</summary>
internal sealed record FlattenNode : Node
{

    public override Shape InferShape(IReadOnlyList<Shape> inputs)
    {
        var input = SingleInput(inputs);
        if (input.Elements > int.MaxValue) throw GraphException.At(this, $"{input} has too many elements to flatten");
        return new Shape((int)input.Elements);
    }
}
