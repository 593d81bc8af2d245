using AudioPrune.Graph;
using Onnx;

namespace AudioPrune.Interop.Onnx.Import;

/// <summary>The sliding window of a Conv, MaxPool or AveragePool node: kernel, strides and symmetric padding (auto_pad resolved).</summary>
internal sealed record OnnxWindow(Size2 Kernel, Size2 Stride, Size2 Padding)
{
    public static OnnxWindow Of(OnnxConversion c, NodeProto node, Shape input, long[]? kernelShape)
    {
        var kernel = Pair(c, node, kernelShape ?? node.Ints("kernel_shape"), "kernel_shape", null);
        var stride = Pair(c, node, node.Ints("strides"), "strides", 1);
        if (node.Ints("dilations") is { } dilations && dilations.Any(d => d != 1))
            throw c.Fail(node, $"has dilations [{string.Join(", ", dilations)}]; only dilation 1 is supported");
        var autoPad = node.Text("auto_pad", "NOTSET");
        var padding = autoPad switch
        {
            "NOTSET" => Pads(c, node, node.Ints("pads")),
            "VALID" => new Size2(0, 0),
            "SAME_UPPER" or "SAME_LOWER" => new Size2(Same(c, node, input[1], kernel.H, stride.H), Same(c, node, input[2], kernel.W, stride.W)),
            _ => throw c.Fail(node, $"has auto_pad '{autoPad}', which is not an ONNX value"),
        };
        return new OnnxWindow(kernel, stride, padding);
    }

    /// <summary>ONNX pads [top, left, bottom, right] as symmetric padding; asymmetric padding is refused.</summary>
    public static Size2 Pads(OnnxConversion c, NodeProto node, long[]? pads)
    {
        if (pads is null) return new Size2(0, 0);
        if (pads.Length != 4 || pads.Any(p => p < 0 || p > int.MaxValue)) throw c.Fail(node, $"has pads [{string.Join(", ", pads)}]; four non-negative pads are needed");
        if (pads[0] != pads[2] || pads[1] != pads[3])
            throw c.Fail(node, $"has asymmetric pads [{string.Join(", ", pads)}]; only equal padding on both sides is supported");
        return new Size2((int)pads[0], (int)pads[1]);
    }

    private static Size2 Pair(OnnxConversion c, NodeProto node, long[]? values, string name, int? fallback)
    {
        if (values is null && fallback is { } f) return Size2.Square(f);
        if (values is not [var h, var w] || h <= 0 || w <= 0 || h > int.MaxValue || w > int.MaxValue)
            throw c.Fail(node, $"needs two positive {name} (a 2-D window), got [{string.Join(", ", values ?? [])}]");
        return new Size2((int)h, (int)w);
    }

    private static int Same(OnnxConversion c, NodeProto node, int length, int kernel, int stride)
    {
        var output = (length + stride - 1) / stride;
        var total = Math.Max((output - 1) * stride + kernel - length, 0);
        if (total % 2 != 0) throw c.Fail(node, "has auto_pad SAME that needs unequal padding on the two sides, which is not supported");
        return total / 2;
    }
}
