using AudioPrune.Graph;
using AudioPrune.Graph.Nodes;
using AudioPrune.Graph.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace AudioPrune.Tests.Training;

/// <summary>
/// A first-layer convolution (one input channel) trains through <see cref="SingleChannelConvolution"/> on CPUs where
/// it pays; its weight gradient is a convolution of the input with the upstream gradient. Its gradients must equal a
/// float64 reference through libtorch's own convolution, with or without bias, for non-square kernels and paddings,
/// and with the in-place ReLU the module puts after it, on every CPU.
/// </summary>
[Collection(TorchSerialCollection.Name)]
public sealed class SingleChannelConvolutionTests
{
    [Theory]
    [InlineData(true, 1, 7)]
    [InlineData(false, 1, 7)]
    [InlineData(true, 2, 7)]
    [InlineData(true, 1, 20)] // a batch that is not a whole number of channel blocks: the weight gradient sums over it
    public void First_layer_gradients_match_a_float64_reference(bool bias, int threads, int batch)
    {
        var kernel = new Size2(5, 7);
        var padding = new Size2(2, 3);
        var previous = torch.get_num_threads();
        torch.set_num_threads(threads);
        try
        {
            torch.manual_seed(11);
            using var scope = torch.NewDisposeScope();
            var weight = (torch.randn(6, 1, kernel.H, kernel.W) * 0.2).requires_grad_(true);
            var biasTensor = bias ? (torch.randn(6) * 0.1).requires_grad_(true) : null;
            var fc = (torch.randn(3, 6 * 10 * 14) * 0.05).requires_grad_(true);
            var x = torch.randn(batch, 1, 10, 14);
            var upstream = torch.randn(batch, 3);
            // The form, then an in-place ReLU as the graph module puts after it.
            var y = SingleChannelConvolution.Run(x, weight, biasTensor, padding).relu_();
            (nn.functional.linear(y.flatten(1), fc) * upstream).sum().backward();

            var w64 = weight.detach().to(float64).requires_grad_(true);
            var b64 = biasTensor?.detach().to(float64).requires_grad_(true);
            var fc64 = fc.detach().to(float64).requires_grad_(true);
            var y64 = nn.functional.conv2d(x.to(float64), w64, b64, padding: [padding.H, padding.W]);
            (nn.functional.linear(nn.functional.relu(y64).flatten(1), fc64) * upstream.to(float64)).sum().backward();

            var pairs = new List<(string, Tensor, Tensor)> { ("weight", weight, w64), ("fc", fc, fc64) };
            if (bias) pairs.Add(("bias", biasTensor!, b64!));
            foreach (var (name, actual, expected) in pairs)
            {
                var error = (actual.grad!.to(float64) - expected.grad!).abs().max().item<double>();
                var scale = expected.grad!.abs().max().item<double>();
                Assert.True(error < 1e-4 * Math.Max(1, scale), $"{name}: gradient off by {error} (largest {scale})");
            }
        }
        finally
        {
            torch.set_num_threads(previous);
        }
    }

    [Fact]
    public void Only_large_stride_1_kernels_with_few_filters_over_one_channel_qualify()
    {
        static Conv2dNode Conv(int inChannels, int stride, int kernel = 7, int filters = 16) => new()
        {
            Name = "c", Inputs = [NetworkGraph.InputName], InChannels = inChannels, OutChannels = filters,
            Kernel = Size2.Square(kernel), Stride = Size2.Square(stride),
        };
        Assert.True(SingleChannelConvolution.Supports(Conv(1, 1)));
        Assert.True(SingleChannelConvolution.Supports(Conv(1, 1, kernel: 5, filters: 32)));
        Assert.False(SingleChannelConvolution.Supports(Conv(2, 1)));
        Assert.False(SingleChannelConvolution.Supports(Conv(1, 2)));
        Assert.False(SingleChannelConvolution.Supports(Conv(1, 1, kernel: 3)));
        Assert.False(SingleChannelConvolution.Supports(Conv(1, 1, filters: 64)));
    }

    [Fact]
    public void An_input_that_needs_a_gradient_is_refused()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.randn(2, 1, 5, 5).requires_grad_(true);
        Assert.Throws<ArgumentException>(() => SingleChannelConvolution.Run(x, torch.randn(3, 1, 3, 3), null, Size2.Square(1)));
    }
}
