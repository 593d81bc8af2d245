using AudioPrune.Graph;
using AudioPrune.Graph.Nodes;

namespace AudioPrune.Interop.Onnx;

/// <summary>
/// How one convolution is written for ONNX Runtime's blocked CPU kernels, which hold channels in blocks of B
/// (8 with AVX2, 16 with AVX-512). Two exact rewrites, chosen from measurements on an AVX2 core:
/// <list type="bullet">
/// <item><b>Input chunks.</b> The blocked kernels take an input whose channel count is a multiple of B, or below
/// B; any other count (a pruned 11) falls back to im2col and GEMM, which ran DCASE21_Net's 11-to-11 7x7 layer at
/// 5.9 ms. Split into a multiple of B and a remainder, each chunk's convolution is blocked and the partial
/// outputs are added.</item>
/// <item><b>Row folding.</b> A blocked kernel computes up to four output blocks per input load; a layer with 2B
/// filters or fewer leaves it half idle. Output rows 2g and 2g+1 become separate filters of one stride-2
/// convolution one row taller (2 x filters, the upper or lower kernel row zero), interleaved back after. The
/// unpruned 16-to-16 layer went from 8.4 to 5.9 ms, the pruned 11-to-11 (with chunks) to 3.6 ms, although 1/8
/// of the folded kernel is zeros.</item>
/// </list>
/// Layers with more than 2B filters are not folded (DCASE21_Net's 32-filter conv3 was slower folded).
/// </summary>
public sealed record ConvolutionPlan(bool FoldRows, IReadOnlyList<ChannelRange> InputChunks)
{
    public static ConvolutionPlan For(Conv2dNode conv, Shape output, ConvolutionLayout layout)
    {
        var block = layout.BlockChannels();
        var whole = new[] { new ChannelRange(0, conv.InChannels) };
        if (block == 0 || conv.Groups != 1) return new ConvolutionPlan(false, whole);
        var aligned = conv.InChannels / block * block;
        var chunks = aligned > 0 && aligned < conv.InChannels
            ? new[] { new ChannelRange(0, aligned), new ChannelRange(aligned, conv.InChannels - aligned) }
            : whole;
        var fold = conv.Stride.H == 1 && output[1] % 2 == 0 && conv.OutChannels <= 2 * block;
        return new ConvolutionPlan(fold, chunks);
    }

    public bool IsPlain => !FoldRows && InputChunks.Count == 1;
}

/// <summary>Input channels [Start, Start + Count).</summary>
public readonly record struct ChannelRange(int Start, int Count);
