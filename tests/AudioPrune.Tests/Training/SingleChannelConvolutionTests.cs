using AudioPrune.Graph;
using AudioPrune.Graph.Nodes;
using AudioPrune.Graph.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace AudioPrune.Tests.Training;

/// <summary>
/// A first-layer convolution (one input channel) trains through <see cref="SingleChannelConvolution"/>, whose
/// weight gradient is a convolution of the input with the upstream gradient. Its gradients must equal a float64
/// reference through libtorch's own convolution, with or without bias, for non-square kernels and paddings, and
/// with the in-place ReLU the module puts after it.
/// </summary>
[Collection(TorchSerialCollection.Name)]
public sealed class SingleChannelConvolutionTests
{
    [Theory]
    [InlineData(true, 1)]
    [InlineData(false, 1)]
    [InlineData(true, 2)]
    public void First_layer_gradients_match_a_float64_reference(bool bias, int threads)
    {
        var kernel = new Size2(5, 7);
        var padding = new Size2(2, 3);
        var graph = new SequentialBuilder("first", new Shape(1, 10, 14))
            .Conv("conv", 6, kernel, padding, bias).Relu("relu").Flatten("flat").Linear("fc", 3).Build();
        Assert.True(SingleChannelConvolution.Supports(graph.NodesOf<Conv2dNode>().Single()));
        var previous = torch.get_num_threads();
        torch.set_num_threads(threads);
        try
        {
            torch.manual_seed(11);
            using var scope = torch.NewDisposeScope();
            using var module = TorchGraphModule.Create(graph, WeightInitializer.Initialize(graph, 2));
            module.train();
            var x = torch.randn(7, 1, 10, 14);
            var upstream = torch.randn(7, 3);
            (module.call(x) * upstream).sum().backward();

            var state = module.state_dict();
            var p = state.Where(e => e.Key.EndsWith("weight") || e.Key.EndsWith("bias"))
                .ToDictionary(e => e.Key, e => e.Value.detach().to(float64).requires_grad_(true));
            var y = nn.functional.conv2d(x.to(float64), p["conv.weight"], bias ? p["conv.bias"] : null, padding: [padding.H, padding.W]);
            var reference = nn.functional.linear(nn.functional.relu(y).flatten(1), p["fc.weight"], p["fc.bias"]);
            (reference * upstream.to(float64)).sum().backward();

            var parameters = module.named_parameters().ToDictionary(e => e.name, e => e.parameter);
            Assert.Equal(p.Keys.Order(), parameters.Keys.Order());
            foreach (var (name, tensor) in p)
            {
                var error = (parameters[name].grad!.to(float64) - tensor.grad!).abs().max().item<double>();
                var scale = tensor.grad!.abs().max().item<double>();
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
