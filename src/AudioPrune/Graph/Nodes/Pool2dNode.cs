using System.Text.Json.Serialization;

namespace AudioPrune.Graph.Nodes;

[JsonConverter(typeof(JsonStringEnumConverter<PoolKind>))]
internal enum PoolKind { Max, Avg }

/// <summary>Windowed max or average pooling (floor mode; average excludes padding unless <see cref="CountIncludePad"/>).</summary>
internal sealed record Pool2dNode : Node
{
    public required PoolKind Kind { get; init; }
    public required Size2 Kernel { get; init; }
    public required Size2 Stride { get; init; }
    public Size2 Padding { get; init; } = Size2.Square(0);

    /// <summary>Whether an average divides by the whole window, padding included (PyTorch's AvgPool2d default).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public bool CountIncludePad { get; init; }

    public override bool PassesChannelsThrough => true;

    public override Shape InferShape(IReadOnlyList<Shape> inputs)
    {
        var input = FeatureMapInput(inputs);
        if (Kernel.H <= 0 || Kernel.W <= 0 || Stride.H <= 0 || Stride.W <= 0)
            throw GraphException.At(this, "kernel and stride must be positive");
        if (Padding.H * 2 > Kernel.H || Padding.W * 2 > Kernel.W)
            throw GraphException.At(this, $"padding {Padding} must be at most half the kernel {Kernel}");
        var h = PooledLength(input[1], Kernel.H, Stride.H, Padding.H);
        var w = PooledLength(input[2], Kernel.W, Stride.W, Padding.W);
        if (h <= 0 || w <= 0) throw GraphException.At(this, $"window {Kernel} does not fit the input {input}");
        return new Shape(input.Channels, h, w);
    }
}
