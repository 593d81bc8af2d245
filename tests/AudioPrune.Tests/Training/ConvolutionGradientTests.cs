using AudioPrune.Graph;
using AudioPrune.Graph.Nodes;
using AudioPrune.Graph.Torch;
using AudioPrune.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace AudioPrune.Tests.Training;

/// <summary>
/// Guards the convolutions training and TorchSharp inference run, through the graph module: libtorch's oneDNN
/// kernels with the channel padding of <see cref="BlockAlignedConvolution"/> where the CPU has AVX-512. On such
/// machines the unpadded kernels gave wrong or NaN outputs and input gradients whenever the channels they sum
/// over end in a partial block (pruned widths), and training diverged. The reference is the same convolution in
/// float64, which does not go through oneDNN. The cases cover channel counts below, at and above one block, not
/// multiples of 8 or 16, the DCASE21_Net layer sizes, and a trainable first layer (<see cref="SingleChannelConvolution"/>
/// where it pays) with a batch that is not a whole number of blocks. The module's padding of whole networks to
/// channel blocks is off here, so these layers reach the kernels at their own widths (<see cref="ChannelPaddingTests"/>
/// compares the padded module with this one).
/// </summary>
[Collection(TorchSerialCollection.Name)]
[Trait("Category", "Slow")]
public sealed class ConvolutionGradientTests
{
    [Theory]
    [InlineData(1, 6, 3, 1)]
    [InlineData(6, 6, 3, 2)]
    [InlineData(8, 8, 3, 2)]
    [InlineData(12, 10, 7, 2)]
    [InlineData(11, 13, 7, 2)]
    [InlineData(16, 11, 7, 1)]
    [InlineData(22, 11, 3, 2)]
    [InlineData(45, 45, 3, 1)]
    [InlineData(64, 45, 3, 2)]
    public void Convolution_outputs_and_gradients_match_a_float64_reference(int inChannels, int outChannels, int kernel, int threads)
    {
        var graph = new SequentialBuilder("probe", new Shape(inChannels, 16, 24)).Conv("conv", outChannels, kernel).Build();
        WithThreads(threads, () => AssertMatchesReference(graph, batch: 8, inputGradient: true));
    }

    /// <summary>Channels-last feature maps (the module's choice for whole blocks on AVX-512 CPUs) run other oneDNN kernels.</summary>
    [Theory]
    [InlineData(1, 16, 7, 1)]
    [InlineData(16, 16, 7, 2)]
    [InlineData(32, 16, 3, 1)]
    [InlineData(16, 48, 3, 2)]
    public void Channels_last_convolutions_match_a_float64_reference(int inChannels, int outChannels, int kernel, int threads)
    {
        var graph = new SequentialBuilder("probe", new Shape(inChannels, 16, 24)).Conv("conv", outChannels, kernel).Build();
        WithThreads(threads, () => AssertMatchesReference(graph, batch: 8, inputGradient: true, ActivationLayout.ChannelsLast));
    }

    [Fact]
    public void The_pruned_dcase21_net_middle_layer_matches_a_float64_reference_at_batch_32()
    {
        var graph = new SequentialBuilder("probe", new Shape(11, 40, 500)).Conv("conv", 11, 7).Build();
        WithThreads(1, () => AssertMatchesReference(graph, batch: 32, inputGradient: true));
    }

    [Theory]
    [InlineData(11, 20)]
    [InlineData(16, 32)]
    public void The_first_layer_matches_a_float64_reference(int filters, int batch)
    {
        var graph = new SequentialBuilder("first", new Shape(1, 40, 50)).Conv("conv", filters, 7).Build();
        WithThreads(1, () => AssertMatchesReference(graph, batch, inputGradient: false));
    }

    [Fact]
    public void Channels_are_padded_to_whole_blocks_only_where_the_kernels_sum_over_a_partial_block()
    {
        Assert.Equal(0, BlockAlignedConvolution.ForwardPadding(11, 16));   // below a block: the plain layout
        Assert.Equal(0, BlockAlignedConvolution.ForwardPadding(32, 16));
        Assert.Equal(10, BlockAlignedConvolution.ForwardPadding(22, 16));
        Assert.Equal(5, BlockAlignedConvolution.GradientPadding(11, 16));
        Assert.Equal(0, BlockAlignedConvolution.GradientPadding(48, 16));
        Assert.Equal(0, BlockAlignedConvolution.GradientPadding(11, 0));  // CPUs whose kernels were exact
        Assert.Equal(16, new CpuPolicy(oneDnnSeesAvx512: true, runtimeHasAvx512: true, runtimeHasAvx2: true).OneDnnChannelBlock);
        Assert.Equal(0, new CpuPolicy(oneDnnSeesAvx512: false, runtimeHasAvx512: false, runtimeHasAvx2: true).OneDnnChannelBlock);
    }

    private static void AssertMatchesReference(NetworkGraph graph, int batch, bool inputGradient, ActivationLayout? layout = null)
    {
        torch.manual_seed(5);
        using var scope = torch.NewDisposeScope();
        using var module = TorchGraphModule.Create(graph, WeightInitializer.Initialize(graph, 3), layout, padChannels: false);
        module.train();
        var conv = graph.NodesOf<Conv2dNode>().Single();
        var x0 = torch.randn([batch, .. graph.Input.Dims.Select(d => (long)d)]);
        var upstream = torch.randn([batch, .. graph.OutputShape.Dims.Select(d => (long)d)]);
        var parameters = module.named_parameters().ToDictionary(e => e.name, e => e.parameter);
        var x64 = x0.to(float64).requires_grad_(inputGradient);
        var w64 = parameters["conv.weight"].detach().to(float64).requires_grad_(true);
        var y64 = nn.functional.conv2d(x64, w64, parameters["conv.bias"].detach().to(float64), padding: [conv.Padding.H, conv.Padding.W]);
        (y64 * upstream.to(float64)).sum().backward();
        for (var trial = 0; trial < 3; trial++)
        {
            module.zero_grad();
            var x = x0.clone().requires_grad_(inputGradient);
            var y = module.call(x);
            (y * upstream).sum().backward();
            AssertClose($"trial {trial}: output", y.detach(), y64.detach(), 1e-4);
            if (inputGradient) AssertClose($"trial {trial}: input gradient", x.grad!, x64.grad!, 1e-4);
            AssertClose($"trial {trial}: weight gradient", parameters["conv.weight"].grad!, w64.grad!, 1e-4);
        }
    }

    /// <summary>Largest error relative to the largest reference value (float32 sums over up to 640,000 terms).</summary>
    private static void AssertClose(string what, Tensor actual, Tensor expected, double tolerance)
    {
        var error = (actual.to(float64) - expected).abs().max().item<double>();
        var scale = Math.Max(1, expected.abs().max().item<double>());
        Assert.True(error <= tolerance * scale, $"{what} off by {error} (largest value {scale})");
    }

    private static void WithThreads(int threads, Action action)
    {
        var previous = torch.get_num_threads();
        torch.set_num_threads(threads);
        try { action(); }
        finally { torch.set_num_threads(previous); }
    }
}
