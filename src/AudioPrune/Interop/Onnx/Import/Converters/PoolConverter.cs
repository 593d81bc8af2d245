using AudioPrune.Graph;
using AudioPrune.Graph.Nodes;
using Onnx;

namespace AudioPrune.Interop.Onnx.Import.Converters;

/// <summary>
/// Windowed pools (floor mode), global pools and ReduceMean/ReduceMax over spatial axes, and the zero Pad PyTorch puts
/// before an AvgPool2d: it is held back and merged into the pool (which then counts the padding) or convolution reading it.
/// </summary>
internal sealed class PoolConverter : IOnnxConverter
{
    public IReadOnlyList<string> Ops { get; } = ["MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool", "ReduceMean", "ReduceMax", "Pad"];

    public void Convert(OnnxConversion c, NodeProto node)
    {
        switch (node.OpType)
        {
            case "Pad": Pad(c, node); break;
            case "MaxPool" or "AveragePool": Window(c, node); break;
            case "GlobalAveragePool" or "GlobalMaxPool": Global(c, node, [1, 2], keepDims: true); break;
            default: Global(c, node, ReducedAxes(c, node), node.Int("keepdims", 1) != 0); break;
        }
    }

    private static void Window(OnnxConversion c, NodeProto node)
    {
        if (node.Int("ceil_mode", 0) != 0) throw c.Fail(node, "has ceil_mode 1; only floor mode (PyTorch's default) is supported");
        if (node.Output.Count(o => o.Length > 0) > 1 || node.Int("storage_order", 0) != 0) throw c.Fail(node, "returns indices, which is not supported");
        var (input, shape, padded) = c.PaddedValue(node, 0);
        if (shape.Rank != 3) throw c.Fail(node, $"reads a {shape} tensor; N x C x H x W is needed");
        var window = OnnxWindow.Of(c, node, shape, null);
        var average = node.OpType == "AveragePool";
        var includePad = average && (padded != new Size2(0, 0) || node.Int("count_include_pad", 0) != 0);
        if (padded != new Size2(0, 0) && window.Padding != new Size2(0, 0) && node.Int("count_include_pad", 0) == 0)
            throw c.Fail(node, "combines a Pad with its own padding that it does not count, which is not supported");
        if (!average && padded != new Size2(0, 0)) throw c.Fail(node, "reads a zero Pad, which would change its maximum; only MaxPool's own padding is supported");
        c.Emit(node, node.Output[0], new Pool2dNode
        {
            Name = c.Names.For(node.Name),
            Inputs = [input],
            Kind = average ? PoolKind.Avg : PoolKind.Max,
            Kernel = window.Kernel,
            Stride = window.Stride,
            Padding = new Size2(window.Padding.H + padded.H, window.Padding.W + padded.W),
            CountIncludePad = includePad && window.Padding.H + padded.H + window.Padding.W + padded.W > 0,
        });
    }

    private static void Global(OnnxConversion c, NodeProto node, int[] axes, bool keepDims)
    {
        var (input, shape) = c.Value(node, 0);
        if (shape.Rank != 3) throw c.Fail(node, $"reads a {shape} tensor; a pool over an N x C x H x W map is supported");
        c.Emit(node, node.Output[0], new GlobalPoolNode
        {
            Name = c.Names.For(node.Name),
            Inputs = [input],
            Kind = node.OpType is "GlobalMaxPool" or "ReduceMax" ? GlobalPoolKind.Max : GlobalPoolKind.Avg,
            Axes = axes,
            KeepDims = keepDims,
        });
    }

    /// <summary>ReduceMean/ReduceMax axes (attribute before opset 18, input from then on) as graph axes: spatial ones only.</summary>
    private static int[] ReducedAxes(OnnxConversion c, NodeProto node)
    {
        var axes = node.Ints("axes") ?? c.ConstantOrNull(node.OptionalInput(1))?.AsInts()
            ?? throw c.Fail(node, "reduces every axis; only spatial axes (2, 3) may be reduced");
        var normal = axes.Select(a => a < 0 ? a + 4 : a).Distinct().Order().ToArray();
        if (normal.Length == 0 || normal.Any(a => a is not (2 or 3)))
            throw c.Fail(node, $"reduces axes [{string.Join(", ", axes)}]; only spatial axes (2, 3) of N x C x H x W may be reduced");
        return normal.Select(a => (int)a - 1).ToArray();
    }

    /// <summary>A constant zero Pad of H and W only, equal on both sides: held for the pool or convolution that reads it.</summary>
    private static void Pad(OnnxConversion c, NodeProto node)
    {
        c.Value(node, 0);
        if (node.Text("mode", "constant") != "constant") throw c.Fail(node, "is not a constant (zero) pad");
        if (c.ConstantOrNull(node.OptionalInput(2)) is { } value && value.Scalar != 0) throw c.Fail(node, "pads with a value other than zero");
        var pads = node.Ints("pads") ?? c.Constant(node, 1, "pads").AsInts();
        if (pads.Length != 8 || pads[0] != 0 || pads[1] != 0 || pads[4] != 0 || pads[5] != 0)
            throw c.Fail(node, $"has pads [{string.Join(", ", pads)}]; only H and W of N x C x H x W may be padded");
        var padding = OnnxWindow.Pads(c, node, [pads[2], pads[3], pads[6], pads[7]]);
        c.DeferPad(node.Output[0], node.Input[0], padding);
    }
}
