using AudioPrune.Graph;
using AudioPrune.Graph.Nodes;

namespace AudioPrune.Interop.Onnx;

/// <summary>
/// How one convolution is written for ONNX Runtime's blocked CPU kernels, which hold channels in blocks of B
/// (8 with AVX2, 16 with AVX-512) and pad a layer's filters up to a whole number of blocks. Two exact rewrites:
/// <list type="bullet">
/// <item><b>Input chunks.</b> The blocked kernels take an input whose channel count is a multiple of B, or below
/// B; any other count (a pruned 11 with B = 8) falls back to the slower im2col and GEMM. Split into a multiple of B
/// and a remainder, each chunk's convolution is blocked and the partial outputs are added.</item>
/// <item><b>Row folding.</b> With a fold of r, output row r g + i of filter o becomes row g of filter o r + i of one
/// convolution with row stride r and a kernel r - 1 rows taller (that filter's kernel moved down i rows, zeros
/// around it), interleaved back after. Folding multiplies the filters, which fills the padded blocks and the
/// kernel's register tile, at the price of the zeros in the taller kernel.</item>
/// </list>
/// The fold is the one with the lowest <see cref="Cost"/>; docs/performance.md ("ONNX convolution layout") has the
/// measurements behind it.
/// <see cref="FilterBlock"/> is the layout's channel block (0 for plain).
/// </summary>
internal sealed record ConvolutionPlan(int RowFold, IReadOnlyList<ChannelRange> InputChunks, int FilterBlock = 0)
{
    /// <summary>
    /// The folds tried, in order of preference when two cost the same. Rows only: interleaving folded rows back
    /// moves whole rows, but folded columns are scattered one number at a time, which cost more than the fold saved.
    /// </summary>
    private static readonly int[] RowFolds = [1, 2, 4];

    public static ConvolutionPlan For(Conv2dNode conv, Shape output, ConvolutionLayout layout)
    {
        var block = layout.BlockChannels();
        var whole = new[] { new ChannelRange(0, conv.InChannels) };
        if (block == 0 || conv.Groups != 1) return new ConvolutionPlan(1, whole);
        var aligned = conv.InChannels / block * block;
        var chunks = aligned > 0 && aligned < conv.InChannels
            ? new[] { new ChannelRange(0, aligned), new ChannelRange(aligned, conv.InChannels - aligned) }
            : whole;
        var fold = RowFolds.Where(r => CanFold(conv, output, r)).MinBy(r => Cost(conv, r, layout));
        return new ConvolutionPlan(fold, chunks, block);
    }

    /// <summary>Rows fold by r when the layer's row stride is 1 and r divides the output height.</summary>
    public static bool CanFold(Conv2dNode conv, Shape output, int rowFold) =>
        rowFold == 1 || (conv.Stride.H == 1 && output[1] % rowFold == 0);

    /// <summary>
    /// Relative time per output position of the layer folded by <paramref name="rowFold"/>, in multiply-adds of the
    /// blocked kernel. The kernel really does the multiply-adds of filters padded to whole blocks and of the taller
    /// kernel, shared by the folded rows, and runs slower per multiply-add when it gets too few output blocks to fill
    /// its register tile (at most two blocks of 8, or one of 16), which the penalty charges; a fold also pays for its
    /// interleave (<see cref="InterleaveCostPerNumber"/>). Both constants are measured (docs/performance.md, "ONNX
    /// convolution layout").
    /// </summary>
    public static double Cost(Conv2dNode conv, int rowFold, ConvolutionLayout layout)
    {
        var block = layout.BlockChannels();
        var blocks = (conv.OutChannels * rowFold + block - 1) / block;
        var kernel = (conv.Kernel.H + rowFold - 1) * conv.Kernel.W;
        var (fewBlocks, penalty) = layout == ConvolutionLayout.Blocked8 ? (2, 1.5) : (1, 1.35);
        var compute = (double)conv.InChannels * blocks * block * kernel / rowFold * (blocks <= fewBlocks ? penalty : 1.0);
        return compute + (rowFold > 1 ? InterleaveCostPerNumber * conv.OutChannels : 0);
    }

    /// <summary>What moving one output number back into place costs, in multiply-adds (see <see cref="Cost"/>).</summary>
    private const double InterleaveCostPerNumber = 40;

    /// <summary>
    /// Multiply-adds of the layer as written, per example: what the kernels execute, padded filters and the zeros of
    /// the taller folded kernel included. Input chunks add nothing (each input channel is read once). For a plain
    /// plan this is the layer's own MACs.
    /// </summary>
    public long Macs(Conv2dNode conv, Shape output)
    {
        var filters = (long)conv.OutChannels * RowFold;
        if (FilterBlock > 0) filters = (filters + FilterBlock - 1) / FilterBlock * FilterBlock;
        var taps = (long)(conv.Kernel.H + RowFold - 1) * conv.Kernel.W;
        var positions = (long)(output[1] / RowFold) * output[2];
        return conv.InChannels / conv.Groups * filters * taps * positions;
    }

    public bool IsFolded => RowFold > 1;

    public bool IsPlain => !IsFolded && InputChunks.Count == 1;
}

/// <summary>Input channels [Start, Start + Count).</summary>
internal readonly record struct ChannelRange(int Start, int Count);
