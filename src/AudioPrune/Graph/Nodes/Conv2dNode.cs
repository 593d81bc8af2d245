namespace AudioPrune.Graph.Nodes;

/// <summary>2-D convolution, NCHW, symmetric zero padding. Weight (out, in/groups, kh, kw).</summary>
internal sealed record Conv2dNode : Node
{
    public required int InChannels { get; init; }
    public required int OutChannels { get; init; }
    public required Size2 Kernel { get; init; }
    public Size2 Stride { get; init; } = Size2.Square(1);
    public Size2 Padding { get; init; } = Size2.Square(0);
    public int Groups { get; init; } = 1;
    public bool Bias { get; init; } = true;


    /// <summary>Padding that keeps H and W at stride 1 ("same"); odd kernels only, as symmetric padding requires.</summary>
    public static Size2 SamePadding(Size2 kernel)
    {
        if (kernel.H % 2 == 0 || kernel.W % 2 == 0)
            throw new GraphException($"'same' padding for the even kernel {kernel} needs asymmetric padding, which is not supported");
        return new Size2(kernel.H / 2, kernel.W / 2);
    }

    public override Shape InferShape(IReadOnlyList<Shape> inputs)
    {
        var input = FeatureMapInput(inputs);
        if (InChannels <= 0 || OutChannels <= 0) throw GraphException.At(this, "channel counts must be positive");
        if (Groups <= 0 || InChannels % Groups != 0 || OutChannels % Groups != 0)
            throw GraphException.At(this, $"groups {Groups} must divide in {InChannels} and out {OutChannels} channels");
        if (input.Channels != InChannels)
            throw GraphException.At(this, $"expects {InChannels} input channels, its input has {input.Channels} ({input})");
        if (Kernel.H <= 0 || Kernel.W <= 0 || Stride.H <= 0 || Stride.W <= 0 || Padding.H < 0 || Padding.W < 0)
            throw GraphException.At(this, "kernel and stride must be positive and padding non-negative");
        var h = PooledLength(input[1], Kernel.H, Stride.H, Padding.H);
        var w = PooledLength(input[2], Kernel.W, Stride.W, Padding.W);
        if (h <= 0 || w <= 0) throw GraphException.At(this, $"kernel {Kernel} does not fit the input {input}");
        return new Shape(OutChannels, h, w);
    }

    public override IReadOnlyList<ParameterSpec> Parameters => Bias
        ? [new("weight", [OutChannels, InChannels / Groups, Kernel.H, Kernel.W]), new("bias", [OutChannels])]
        : [new("weight", [OutChannels, InChannels / Groups, Kernel.H, Kernel.W])];

    public override long Macs(IReadOnlyList<Shape> inputs, Shape output) =>
        (long)OutChannels * (InChannels / Groups) * Kernel.H * Kernel.W * output[1] * output[2];
}
