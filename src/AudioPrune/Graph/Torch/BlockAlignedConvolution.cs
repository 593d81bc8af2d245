using AudioPrune.Runtime;
using static TorchSharp.torch;

namespace AudioPrune.Graph.Torch;

/// <summary>
/// A convolution whose summed-over channel axis never ends in a partial block of oneDNN's blocked layout. On the
/// project's AMD EPYC machines with AVX-512, libtorch 2.10's oneDNN (3.7.1) kernels returned wrong, sometimes NaN,
/// results wherever the channels they sum over end in a partial block of 16 (of 8 under an AVX2 cap): the forward
/// pass of a layer with more than 16 input channels that are not a multiple of 16 (22 to 11: off by 0.9; 45 to 45:
/// NaN), and the input gradient of every layer whose filters are not a multiple of 16 (the backward pass sums over
/// filters: 11 to 11 off by 1.8, 8 to 8 NaN). Layers below 16 input channels read the plain layout and were exact,
/// as were the weight gradients and grouped convolutions. Zero channels added up to the block make every block
/// whole, which is what the blocked layout stores anyway, and the results were exact again (within 1e-5 of float64).
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
