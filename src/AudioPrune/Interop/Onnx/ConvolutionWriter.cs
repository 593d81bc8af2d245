using AudioPrune.Graph;
using AudioPrune.Graph.Nodes;
using Onnx;

namespace AudioPrune.Interop.Onnx;

/// <summary>Writes one convolution as ONNX nodes following its <see cref="ConvolutionPlan"/>.</summary>
internal static class ConvolutionWriter
{
    /// <summary>
    /// Writes the convolution of <paramref name="x"/> into <paramref name="y"/>. An element-wise
    /// <paramref name="activation"/> (writing its first tensor into its second) goes before the interleave of a
    /// folded layer, where ONNX Runtime fuses it into the convolution. A folded layer given
    /// <paramref name="poolColumns"/> above 1 also takes the column part of the max pool that follows it (windows of
    /// that many columns, tiling the rows) before the interleave, so <paramref name="y"/> is that much narrower and the
    /// pool is left with the rows. Max is associative, so that is exact; the folded filters are padded to whole blocks
    /// (zero filters, sliced off after the pool) so that ONNX Runtime pools them in its blocked layout, straight from
    /// the convolution, and the interleave and the layout reorders move a fraction of the numbers.
    /// </summary>
    public static void Write(OnnxGraphWriter writer, Conv2dNode conv, string x, string y, TensorData weight, TensorData? bias,
        string nodeName, ConvolutionPlan plan, Shape output, Action<string, string>? activation = null, int poolColumns = 1)
    {
        var fold = plan.RowFold;
        var pooled = plan.IsFolded && poolColumns > 1;
        if (plan.IsFolded) (weight, bias) = (FoldRows(weight, fold), bias is null ? null : FoldBias(bias, fold));
        var foldedFilters = weight.Shape[0];
        if (pooled) (weight, bias) = (PadFilters(weight, plan.FilterBlock), bias is null ? null : PadFilters(bias, plan.FilterBlock));
        var linear = plan.IsFolded || activation is not null ? writer.Unique($"{nodeName}_{(plan.IsFolded ? "folded" : "linear")}") : y;
        Convolve(writer, conv, x, linear, weight, bias, nodeName, plan);
        var activated = linear;
        if (activation is not null)
        {
            activated = plan.IsFolded ? writer.Unique($"{nodeName}_activated") : y;
            activation(linear, activated);
        }
        if (!plan.IsFolded) return;
        if (pooled)
        {
            activated = PoolColumns(writer, activated, poolColumns, foldedFilters, weight.Shape[0], nodeName);
            output = new Shape(output[0], output[1], output[2] / poolColumns);
        }
        Interleave(writer, activated, y, output, fold, nodeName);
    }

    /// <summary>Max over windows of <paramref name="columns"/> columns, then only the real filters.</summary>
    private static string PoolColumns(OnnxGraphWriter writer, string x, int columns, int filters, int paddedFilters, string nodeName)
    {
        var pooled = writer.Unique($"{nodeName}_column_pool");
        writer.Node("MaxPool", pooled, [x], pooled, OnnxGraphWriter.Ints("kernel_shape", 1, columns), OnnxGraphWriter.Ints("strides", 1, columns));
        return paddedFilters == filters ? pooled : Slice(writer, pooled, new ChannelRange(0, filters), $"{nodeName}_real");
    }

    /// <summary>The tensor with zero entries appended along its first axis up to a whole number of blocks.</summary>
    private static TensorData PadFilters(TensorData t, int block)
    {
        var filters = t.Shape[0];
        var padded = block == 0 ? filters : (filters + block - 1) / block * block;
        if (padded == filters) return t;
        var data = new float[t.Data.Length / filters * padded];
        Array.Copy(t.Data, data, t.Data.Length);
        return new TensorData([padded, .. t.Shape[1..]], data);
    }

    /// <summary>One Conv node per input chunk of the plan, their outputs added into <paramref name="y"/>.</summary>
    private static void Convolve(OnnxGraphWriter writer, Conv2dNode conv, string x, string y, TensorData weight, TensorData? bias,
        string nodeName, ConvolutionPlan plan)
    {
        var fold = plan.RowFold;
        var kernel = conv.Kernel with { H = conv.Kernel.H + fold - 1 };
        var stride = conv.Stride with { H = conv.Stride.H * fold };
        // The taller kernel reads past the bottom edge for the last folded rows.
        long[] pads = [conv.Padding.H, conv.Padding.W, conv.Padding.H + fold - 1, conv.Padding.W];
        var single = plan.InputChunks.Count == 1;
        var parts = new List<string>();
        foreach (var chunk in plan.InputChunks)
        {
            var input = single ? x : Slice(writer, x, chunk, nodeName);
            var part = single ? y : writer.Unique($"{nodeName}_in{chunk.Start}");
            var chunkWeight = single ? weight : SliceInputChannels(weight, chunk);
            var inputs = new List<string> { input, writer.Initializer($"{conv.Name}.weight", chunkWeight) };
            if (bias is not null && chunk.Start == 0) inputs.Add(writer.Initializer($"{conv.Name}.bias", bias));
            writer.Node("Conv", single ? nodeName : part, inputs, part,
                OnnxGraphWriter.Ints("kernel_shape", kernel.H, kernel.W), OnnxGraphWriter.Ints("strides", stride.H, stride.W),
                OnnxGraphWriter.Ints("pads", pads), OnnxGraphWriter.Ints("dilations", 1, 1), OnnxGraphWriter.Int("group", conv.Groups));
            parts.Add(part);
        }
        writer.Sum(parts, y, $"{nodeName}_sum");
    }

    /// <summary>Filter (o, i), at index o r + i for a fold of r, is filter o moved down i rows in a kernel r - 1 rows taller.</summary>
    private static TensorData FoldRows(TensorData weight, int fold)
    {
        var (filters, channels, height, width) = (weight.Shape[0], weight.Shape[1], weight.Shape[2], weight.Shape[3]);
        var foldedHeight = height + fold - 1;
        var folded = new float[filters * fold * channels * foldedHeight * width];
        for (var o = 0; o < filters; o++)
            for (var i = 0; i < fold; i++)
                for (var c = 0; c < channels; c++)
                    for (var row = 0; row < height; row++)
                    {
                        var source = ((o * channels + c) * height + row) * width;
                        var target = (((o * fold + i) * channels + c) * foldedHeight + row + i) * width;
                        Array.Copy(weight.Data, source, folded, target, width);
                    }
        return new TensorData([filters * fold, channels, foldedHeight, width], folded);
    }

    private static TensorData FoldBias(TensorData bias, int fold) =>
        new([fold * bias.Shape[0]], bias.Data.SelectMany(b => Enumerable.Repeat(b, fold)).ToArray());

    private static TensorData SliceInputChannels(TensorData weight, ChannelRange range)
    {
        var (filters, channels) = (weight.Shape[0], weight.Shape[1]);
        var perChannel = weight.Shape[2] * weight.Shape[3];
        var sliced = new float[filters * range.Count * perChannel];
        for (var o = 0; o < filters; o++)
            Array.Copy(weight.Data, (o * channels + range.Start) * perChannel, sliced, o * range.Count * perChannel, range.Count * perChannel);
        return new TensorData([filters, range.Count, weight.Shape[2], weight.Shape[3]], sliced);
    }

    private static string Slice(OnnxGraphWriter writer, string x, ChannelRange chunk, string nodeName)
    {
        var sliced = writer.Unique($"{nodeName}_channels{chunk.Start}");
        writer.ChannelSlice(x, sliced, sliced, chunk.Start, chunk.Count);
        return sliced;
    }

    /// <summary>(N, O r, H/r, W) with channel o r + i holding rows r g + i of filter o, back to (N, O, H, W).</summary>
    private static void Interleave(OnnxGraphWriter writer, string folded, string y, Shape output, int fold, string nodeName)
    {
        var (filters, height, width) = (output[0], output[1], output[2]);
        var split = writer.Unique($"{nodeName}_parity");
        var moved = writer.Unique($"{nodeName}_rows");
        writer.Node("Reshape", split, [folded, writer.Int64Initializer($"{split}_shape", [0, filters, fold, height / fold, width])], split);
        writer.Node("Transpose", moved, [split], moved, OnnxGraphWriter.Ints("perm", 0, 1, 3, 2, 4));
        writer.Node("Reshape", $"{nodeName}_interleave", [moved, writer.Int64Initializer($"{nodeName}_shape", [0, filters, height, width])], y);
    }
}
