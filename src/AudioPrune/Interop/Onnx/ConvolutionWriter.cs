using AudioPrune.Graph;
using AudioPrune.Graph.Nodes;
using Onnx;

namespace AudioPrune.Interop.Onnx;

/// <summary>Writes one convolution as ONNX nodes following its <see cref="ConvolutionPlan"/>.</summary>
internal static class ConvolutionWriter
{
    public static void Write(OnnxGraphWriter writer, Conv2dNode conv, string x, string y, TensorData weight, TensorData? bias,
        string nodeName, ConvolutionPlan plan, Shape output)
    {
        var kernel = conv.Kernel;
        var stride = conv.Stride;
        long[] pads = [conv.Padding.H, conv.Padding.W, conv.Padding.H, conv.Padding.W];
        if (plan.FoldRows)
        {
            (weight, bias) = (FoldRows(weight), bias is null ? null : FoldBias(bias));
            kernel = kernel with { H = kernel.H + 1 };
            stride = stride with { H = 2 };
            pads[2] += 1; // the extra kernel row reads one row past the bottom for the last odd output row
        }
        var sum = plan.FoldRows ? writer.Unique($"{nodeName}_folded") : y;
        var single = plan.InputChunks.Count == 1;
        var parts = new List<string>();
        foreach (var chunk in plan.InputChunks)
        {
            var input = single ? x : Slice(writer, x, chunk, nodeName);
            var part = single ? sum : writer.Unique($"{nodeName}_in{chunk.Start}");
            var chunkWeight = single ? weight : SliceInputChannels(weight, chunk);
            var inputs = new List<string> { input, writer.Initializer($"{conv.Name}.weight", chunkWeight) };
            if (bias is not null && chunk.Start == 0) inputs.Add(writer.Initializer($"{conv.Name}.bias", bias));
            writer.Node("Conv", single ? nodeName : part, inputs, part,
                OnnxGraphWriter.Ints("kernel_shape", kernel.H, kernel.W), OnnxGraphWriter.Ints("strides", stride.H, stride.W),
                OnnxGraphWriter.Ints("pads", pads), OnnxGraphWriter.Ints("dilations", 1, 1), OnnxGraphWriter.Int("group", conv.Groups));
            parts.Add(part);
        }
        writer.Sum(parts, sum, $"{nodeName}_sum");
        if (plan.FoldRows) InterleaveRows(writer, sum, y, output, nodeName);
    }

    /// <summary>Filter (o, row parity p) of the stride-2 form is filter o moved down p rows in a kernel one row taller.</summary>
    private static TensorData FoldRows(TensorData weight)
    {
        var (filters, channels, height, width) = (weight.Shape[0], weight.Shape[1], weight.Shape[2], weight.Shape[3]);
        var folded = new float[2 * filters * channels * (height + 1) * width];
        for (var o = 0; o < filters; o++)
            for (var parity = 0; parity < 2; parity++)
                for (var c = 0; c < channels; c++)
                    for (var row = 0; row < height; row++)
                    {
                        var source = ((o * channels + c) * height + row) * width;
                        var target = (((2 * o + parity) * channels + c) * (height + 1) + row + parity) * width;
                        Array.Copy(weight.Data, source, folded, target, width);
                    }
        return new TensorData([2 * filters, channels, height + 1, width], folded);
    }

    private static TensorData FoldBias(TensorData bias) =>
        new([2 * bias.Shape[0]], bias.Data.SelectMany(b => new[] { b, b }).ToArray());

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
        writer.Node("Slice", sliced,
            [x, writer.Int64Initializer($"{sliced}_starts", [chunk.Start]), writer.Int64Initializer($"{sliced}_ends", [chunk.Start + chunk.Count]),
             writer.Int64Initializer($"{sliced}_axes", [1])], sliced);
        return sliced;
    }

    /// <summary>(N, 2O, H/2, W) with channel 2o+p holding rows 2g+p of filter o, back to (N, O, H, W).</summary>
    private static void InterleaveRows(OnnxGraphWriter writer, string folded, string y, Shape output, string nodeName)
    {
        var (filters, height, width) = (output[0], output[1], output[2]);
        var split = writer.Unique($"{nodeName}_parity");
        var moved = writer.Unique($"{nodeName}_rows");
        writer.Node("Reshape", split, [folded, writer.Int64Initializer($"{split}_shape", [0, filters, 2, height / 2, width])], split);
        writer.Node("Transpose", moved, [split], moved, OnnxGraphWriter.Ints("perm", 0, 1, 3, 2, 4));
        writer.Node("Reshape", $"{nodeName}_interleave", [moved, writer.Int64Initializer($"{nodeName}_shape", [0, filters, height, width])], y);
    }
}
