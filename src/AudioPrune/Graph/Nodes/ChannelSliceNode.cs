namespace AudioPrune.Graph.Nodes;

/// <summary>Channels [Start, Start + Count) of its input (torch.split, x[:, a:b]); other axes unchanged.</summary>
internal sealed record ChannelSliceNode : Node
{
    public required int Start { get; init; }
    public required int Count { get; init; }

    public override Shape InferShape(IReadOnlyList<Shape> inputs)
    {
        var input = SingleInput(inputs);
        if (Start < 0 || Count <= 0 || (long)Start + Count > input.Channels)
            throw GraphException.At(this, $"channels {Start}..{(long)Start + Count - 1} are outside the input's {input.Channels} ({input})");
        return input.WithChannels(Count);
    }
}
