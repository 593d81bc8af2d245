using AudioPrune.Graph.Nodes;
using Onnx;

namespace AudioPrune.Interop.Onnx.Import.Converters;

/// <summary>Concat, Split and Slice on the channel axis (axis 1 of N x C x H x W, or of N x features).</summary>
internal sealed class ChannelConverter : IOnnxConverter
{
    public IReadOnlyList<string> Ops { get; } = ["Concat", "Split", "Slice"];

    public void Convert(OnnxConversion c, NodeProto node)
    {
        switch (node.OpType)
        {
            case "Concat": Concat(c, node); break;
            case "Split": Split(c, node); break;
            default: Slice(c, node); break;
        }
    }

    private static void Concat(OnnxConversion c, NodeProto node)
    {
        var inputs = Enumerable.Range(0, node.Input.Count).Select(i => c.Value(node, i)).ToArray();
        ChannelAxis(c, node, node.Int("axis", 1), inputs[0].Shape.Rank);
        c.Emit(node, node.Output[0], new ConcatNode { Name = c.Names.For(node.Name), Inputs = inputs.Select(i => i.Name).ToArray(), Axis = 0 });
    }

    /// <summary>Split into the sizes of input 1 (opset 13 on) or the 'split' attribute, or into equal parts.</summary>
    private static void Split(OnnxConversion c, NodeProto node)
    {
        var (input, shape) = c.Value(node, 0);
        ChannelAxis(c, node, node.Int("axis", 0), shape.Rank);
        var parts = node.Output.Count;
        var sizes = node.Ints("split") ?? c.ConstantOrNull(node.OptionalInput(1))?.AsInts()
            ?? (shape.Channels % parts == 0 ? Enumerable.Repeat((long)(shape.Channels / parts), parts).ToArray()
                : throw c.Fail(node, $"splits {shape.Channels} channels into {parts} equal parts"));
        if (sizes.Length != parts || sizes.Sum() != shape.Channels || sizes.Any(s => s <= 0))
            throw c.Fail(node, $"splits {shape.Channels} channels into [{string.Join(", ", sizes)}]");
        var start = 0;
        for (var i = 0; i < parts; i++)
        {
            var slice = new ChannelSliceNode { Name = c.Names.For(node.Name), Inputs = [input], Start = start, Count = (int)sizes[i] };
            c.Emit(node, node.Output[i], slice);
            start += (int)sizes[i];
        }
    }

    /// <summary>A step-1 slice of the channels (other sliced axes must keep everything).</summary>
    private static void Slice(OnnxConversion c, NodeProto node)
    {
        var (input, shape) = c.Value(node, 0);
        var starts = c.Constant(node, 1, "starts").AsInts();
        var ends = c.Constant(node, 2, "ends").AsInts();
        var axes = c.ConstantOrNull(node.OptionalInput(3))?.AsInts() ?? Enumerable.Range(0, starts.Length).Select(a => (long)a).ToArray();
        var steps = c.ConstantOrNull(node.OptionalInput(4))?.AsInts() ?? Enumerable.Repeat(1L, starts.Length).ToArray();
        if (starts.Length != 1 || ends.Length != 1 || axes.Length != 1 || steps.Length != 1 || steps[0] != 1)
            throw c.Fail(node, "is supported as one step-1 slice of the channel axis (x[:, a:b])");
        ChannelAxis(c, node, axes[0], shape.Rank);
        var start = Clamp(starts[0], shape.Channels);
        var end = Clamp(ends[0], shape.Channels);
        if (end <= start) throw c.Fail(node, $"keeps no channel ({start} to {end})");
        c.Emit(node, node.Output[0], new ChannelSliceNode { Name = c.Names.For(node.Name), Inputs = [input], Start = start, Count = end - start });
    }

    private static int Clamp(long index, int length) => (int)Math.Clamp(index < 0 ? index + length : index, 0, length);

    private static void ChannelAxis(OnnxConversion c, NodeProto node, long axis, int rank)
    {
        if ((axis < 0 ? axis + rank + 1 : axis) != 1)
            throw c.Fail(node, $"works on axis {axis}; only the channel axis (1) is supported");
    }
}
