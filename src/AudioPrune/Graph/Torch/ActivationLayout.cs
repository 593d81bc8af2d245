using AudioPrune.Graph.Nodes;
using static TorchSharp.torch;

namespace AudioPrune.Graph.Torch;

/// <summary>
/// The memory order of the module's (N, C, H, W) feature maps. Shapes, values and gradients are the same in both;
/// what changes is which libtorch kernels run and the copies between them.
/// </summary>
internal enum ActivationLayout
{
    /// <summary>NCHW, libtorch's default. oneDNN reorders each feature map into its 16-channel blocks and back.</summary>
    ChannelsFirst,

    /// <summary>NHWC: oneDNN's convolutions read and write it directly, and libtorch follows it layer to layer.</summary>
    ChannelsLast,
}

/// <summary>Which layout a network trains and runs in, and the network input put into it.</summary>
internal static class ActivationLayouts
{
    /// <summary>
    /// Channels-last where it was measured faster (docs/performance.md, "Training speed"): on CPUs whose oneDNN
    /// kernels use 16-channel blocks (AVX-512), for plain convolutional networks whose every feature map fills whole
    /// blocks, because there channels-first maps are reordered into blocks and back around every convolution while
    /// channels-last ones are read and written directly. Pruned widths would hit libtorch's partly scalar
    /// channels-last batch norm, so the module pads them to whole blocks first (<see cref="ChannelPadding"/>); what
    /// cannot be padded stays channels-first, as every network does on CPUs without AVX-512.
    /// </summary>
    public static ActivationLayout For(NetworkGraph graph, int channelBlock)
    {
        if (channelBlock <= 0) return ActivationLayout.ChannelsFirst;
        var convolutions = graph.NodesOf<Conv2dNode>().ToList();
        if (convolutions.Count == 0 || convolutions.Any(c => c.Groups != 1)) return ActivationLayout.ChannelsFirst;
        var featureMaps = graph.Nodes.Select(n => graph.ShapeOf(n.Name)).Where(s => s.Rank == 3);
        return featureMaps.All(s => s[0] % channelBlock == 0) ? ActivationLayout.ChannelsLast : ActivationLayout.ChannelsFirst;
    }

    /// <summary>
    /// The (N, C, H, W) input with channels-last strides. A single-channel input (a spectrogram) is only re-labelled,
    /// without a copy; that label is what makes libtorch lay out the first convolution's output channels-last.
    /// </summary>
    public static Tensor ToChannelsLast(Tensor input)
    {
        if (input.dim() != 4) throw new ArgumentException("expected an (N, C, H, W) tensor", nameof(input));
        var shape = input.shape;
        var (channels, width) = (shape[1], shape[3]);
        using var pixelMajor = input.permute(0, 2, 3, 1).contiguous();
        return pixelMajor.as_strided(shape, [shape[2] * width * channels, 1, width * channels, channels]);
    }
}
