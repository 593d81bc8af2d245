using AudioPrune.Runtime;
using static TorchSharp.torch;

namespace AudioPrune.Graph.Torch;

/// <summary>
/// A convolution whose summed-over channel axis never ends in a partial block of oneDNN's blocked layout, because
/// libtorch's AVX-512 oneDNN kernels return wrong, sometimes NaN, results for such a partial block (docs/platform.md,
/// item 3): the forward pass of a layer with more than 16 input channels that are not a multiple of 16, and the input
/// gradient of every layer whose filters are not a multiple of 16 (the backward pass sums over filters). Zero
/// channels added up to the block make every block whole, which is what the blocked layout stores anyway.
/// </summary>
internal static class BlockAlignedConvolution
{
    /// <summary>
    /// The convolution of <paramref name="input"/> (N, C, H, W), one group. Input channels are padded where the
    /// forward pass needs it; filters are padded (and the output narrowed back) when <paramref name="alignFilters"/>
    /// says the input gradient will be computed.
    /// </summary>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias, Size2 stride, Size2 padding, bool alignFilters)
    {
        var block = CpuPolicy.Current.OneDnnChannelBlock;
        var (filters, channels) = (weight.shape[0], weight.shape[1]);
        var extraChannels = ForwardPadding(channels, block);
        var extraFilters = alignFilters ? GradientPadding(filters, block) : 0;
        Tensor Convolve(Tensor x, Tensor w, Tensor? b) =>
            nn.functional.conv2d(x, w, b, strides: [stride.H, stride.W], padding: [padding.H, padding.W]);
        if (extraChannels == 0 && extraFilters == 0) return Convolve(input, weight, bias);

        // The input is an activation (tens of megabytes in training): copied only when its channels need padding.
        using var paddedInput = extraChannels > 0 ? nn.functional.pad(input, [0, 0, 0, 0, 0, extraChannels]) : input.alias();
        using var paddedWeight = nn.functional.pad(weight, [0, 0, 0, 0, 0, extraChannels, 0, extraFilters]);
        using var paddedBias = bias is null ? null : nn.functional.pad(bias, [0, extraFilters]);
        using var output = Convolve(paddedInput, paddedWeight, paddedBias);
        return output.narrow(1, 0, filters);
    }

    /// <summary>Zero input channels the forward pass needs: none up to one block (those read the plain layout).</summary>
    public static long ForwardPadding(long channels, int block) =>
        block == 0 || channels <= block ? 0 : ToWholeBlocks(channels, block);

    /// <summary>Zero filters the input-gradient pass needs, which sums over filters in blocks.</summary>
    public static long GradientPadding(long filters, int block) => block == 0 ? 0 : ToWholeBlocks(filters, block);

    private static long ToWholeBlocks(long count, int block) => (block - count % block) % block;
}
