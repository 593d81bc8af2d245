using AudioPrune.Graph;
using AudioPrune.Graph.Nodes;
using Onnx;

namespace AudioPrune.Interop.Onnx.Import.Converters;

/// <summary>Conv with constant weight and bias: group, strides and symmetric padding (a zero Pad before it is merged); dilation 1.</summary>
internal sealed class ConvConverter : IOnnxConverter
{
    public IReadOnlyList<string> Ops { get; } = ["Conv"];

    public void Convert(OnnxConversion c, NodeProto node)
    {
        var (input, shape, padded) = c.PaddedValue(node, 0);
        if (shape.Rank != 3) throw c.Fail(node, $"reads a {shape} tensor; a 2-D convolution of an N x C x H x W map is supported");
        var weight = c.Constant(node, 1, "weight");
        if (weight.Dims.Length != 4) throw c.Fail(node, $"has a weight of {weight.Dims.Length} axes; a 2-D convolution is supported");
        var window = OnnxWindow.Of(c, node, shape, node.Ints("kernel_shape") ?? [weight.Dims[2], weight.Dims[3]]);
        var bias = c.ConstantOrNull(node.OptionalInput(2));
        if (node.OptionalInput(2) is not null && bias is null) throw c.Fail(node, "has a bias computed at run time; a constant bias is needed");
        var groups = (int)node.Int("group", 1);
        var conv = new Conv2dNode
        {
            Name = c.Names.For(node.Name, node.Input[1]),
            Inputs = [input],
            InChannels = shape.Channels,
            OutChannels = weight.Dims[0],
            Kernel = window.Kernel,
            Stride = window.Stride,
            Padding = new Size2(window.Padding.H + padded.H, window.Padding.W + padded.W),
            Groups = groups,
            Bias = bias is not null,
        };
        if (bias is null) c.Emit(node, node.Output[0], conv, ("weight", weight.ToTensor()));
        else c.Emit(node, node.Output[0], conv, ("weight", weight.ToTensor()), ("bias", bias.ToTensor()));
    }
}
