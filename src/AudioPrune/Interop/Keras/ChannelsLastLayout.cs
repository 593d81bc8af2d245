using AudioPrune.Graph;

namespace AudioPrune.Interop.Keras;

/// <summary>
/// Moves Keras (channels-last) weight tensors into the PyTorch layout the graph uses (docs/method.md, "Reference networks").
/// </summary>
internal static class ChannelsLastLayout
{
    /// <summary>Conv2D kernel (kh, kw, C, F) to (F, C, kh, kw).</summary>
    public static TensorData ConvKernel(TensorData kernel)
    {
        var (kh, kw, c, f) = (kernel.Shape[0], kernel.Shape[1], kernel.Shape[2], kernel.Shape[3]);
        var source = kernel.Data;
        var result = new float[source.Length];
        for (var i = 0; i < kh; i++)
        for (var j = 0; j < kw; j++)
        for (var ci = 0; ci < c; ci++)
        for (var fi = 0; fi < f; fi++)
            result[((fi * c + ci) * kh + i) * kw + j] = source[((i * kw + j) * c + ci) * f + fi];
        return new TensorData([f, c, kh, kw], result);
    }

    /// <summary>
    /// Dense kernel (in, out) to (out, in). When the input vector is a flattened C x H x W map
    /// (<paramref name="flattenedFrom"/>), Keras numbers feature (h, w, c) as row (h*W + w)*C + c, the graph's
    /// channel-major flatten as c*H*W + h*W + w, so the rows are permuted too.
    /// </summary>
    public static TensorData DenseKernel(TensorData kernel, Shape? flattenedFrom)
    {
        var (inputs, outputs) = (kernel.Shape[0], kernel.Shape[1]);
        var source = kernel.Data;
        var result = new float[source.Length];
        for (var row = 0; row < inputs; row++)
        {
            var column = flattenedFrom is null ? row : ChannelMajorIndex(row, flattenedFrom);
            for (var o = 0; o < outputs; o++) result[o * inputs + column] = source[row * outputs + o];
        }
        return new TensorData([outputs, inputs], result);
    }

    /// <summary>A per-feature vector over a channels-last flattened C x H x W map, reordered channel-major.</summary>
    public static TensorData FlattenedVector(TensorData vector, Shape map)
    {
        var result = new float[vector.Data.Length];
        for (var row = 0; row < result.Length; row++) result[ChannelMajorIndex(row, map)] = vector.Data[row];
        return new TensorData(vector.Shape, result);
    }

    /// <summary>Channels-last flat index (h*W + w)*C + c of a C x H x W map to its channel-major index c*H*W + h*W + w.</summary>
    public static int ChannelMajorIndex(int channelsLastIndex, Shape map)
    {
        var (c, h, w) = (map[0], map[1], map[2]);
        var channel = channelsLastIndex % c;
        var pixel = channelsLastIndex / c; // h*W + w
        return channel * h * w + pixel;
    }
}
