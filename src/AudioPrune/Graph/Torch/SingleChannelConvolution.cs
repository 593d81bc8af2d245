using AudioPrune.Graph.Nodes;
using TorchSharp;
using static TorchSharp.torch;

namespace AudioPrune.Graph.Torch;

/// <summary>
/// A stride-1 convolution over a one-channel input (the first layer of a log-mel network) whose weight gradient
/// is computed as one convolution of the input with the upstream gradient, batch as the reduced channel axis.
/// libtorch's own weight-gradient kernel for one input channel is slow for large kernels, but for small kernels or
/// many filters the trick loses (docs/performance.md, "First layer without AVX-512"), so only kernels of at least 25
/// taps with at most 32 filters use it.
/// The forward pass is libtorch's; the input gets no gradient, so the layer must read the network input.
/// </summary>
internal sealed class SingleChannelConvolution : autograd.SingleTensorFunction<SingleChannelConvolution>
{
    private const string PaddingKey = "padding";
    private const string HasBiasKey = "has-bias";

    public override string Name => nameof(SingleChannelConvolution);

    private const int MinimumKernelTaps = 25;
    private const int MaximumFilters = 32;

    /// <summary>Whether the form pays on this CPU (<see cref="Runtime.CpuPolicy"/>).</summary>
    public static bool PaysOnThisCpu { get; } = Runtime.CpuPolicy.Current.SingleChannelConvolutionPays;

    /// <summary>Whether the node qualifies: one input channel, one group, stride 1, a large kernel, few filters.</summary>
    public static bool Supports(Conv2dNode node) =>
        node.InChannels == 1 && node.Groups == 1 && node.Stride == Size2.Square(1)
        && node.Kernel.H * node.Kernel.W >= MinimumKernelTaps && node.OutChannels <= MaximumFilters;

    /// <summary>The convolution of <paramref name="input"/> (N, 1, H, W), which must not require a gradient.</summary>
    public static Tensor Run(Tensor input, Tensor weight, Tensor? bias, Size2 padding)
    {
        if (input.requires_grad) throw new ArgumentException("the input of a single-channel convolution gets no gradient", nameof(input));
        return apply(input, weight, bias!, padding);
    }

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var (input, weight, bias, padding) = ((Tensor)vars[0], (Tensor)vars[1], vars[2] as Tensor, (Size2)vars[3]);
        ctx.save_for_backward([input]);
        ctx.save_data(PaddingKey, padding);
        ctx.save_data(HasBiasKey, bias is not null);
        return nn.functional.conv2d(input, weight, bias, padding: [padding.H, padding.W]);
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
    {
        var padding = (Size2)ctx.get_data(PaddingKey);
        using var input = ctx.get_saved_variables()[0];
        // dW[o, 0, i, j] = sum over n, y, x of g[n, o, y, x] * x_padded[n, 0, y + i, x + j]: a convolution whose
        // input is the batch seen as channels (1, N, H, W) and whose filters are the gradients (O, N, H', W').
        using var batchAsChannels = input.transpose(0, 1);
        using var filters = gradOutput.transpose(0, 1);
        using var weightGrad = BlockAlignedConvolution.Conv2d(batchAsChannels, filters, null, Size2.Square(1), padding, alignFilters: false);
        var outChannels = gradOutput.shape[1];
        var weightShape = new[] { outChannels, 1, weightGrad.shape[2], weightGrad.shape[3] };
        var biasGrad = (bool)ctx.get_data(HasBiasKey) ? gradOutput.sum([0, 2, 3]) : null;
        return [null!, weightGrad.reshape(weightShape), biasGrad!, null!];
    }
}
