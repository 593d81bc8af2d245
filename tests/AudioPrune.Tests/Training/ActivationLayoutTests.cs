using AudioPrune.Graph;
using AudioPrune.Graph.Nodes;
using AudioPrune.Graph.Torch;
using AudioPrune.Zoo;
using TorchSharp;
using static TorchSharp.torch;

namespace AudioPrune.Tests.Training;

/// <summary>
/// The graph module may keep feature maps channels-last. That must change speed only: the same network gives the
/// same outputs, gradients and batch-norm statistics in either layout, and the layout is chosen only where it was
/// measured faster (AVX-512 blocks of 16, every feature map a whole number of blocks, no grouped convolutions).
/// </summary>
[Collection(TorchSerialCollection.Name)]
public sealed class ActivationLayoutTests
{
    [Fact]
    public void Channels_last_is_chosen_only_for_whole_blocks_of_channels_on_blocked_cpus()
    {
        var dcase21 = ModelZoo.Create("dcase21").Graph;
        Assert.Equal(ActivationLayout.ChannelsLast, ActivationLayouts.For(dcase21, 16));
        Assert.Equal(ActivationLayout.ChannelsLast, ActivationLayouts.For(ModelZoo.Create("vggish").Graph, 16));
        Assert.Equal(ActivationLayout.ChannelsFirst, ActivationLayouts.For(dcase21, 0));        // CPUs without AVX-512
        Assert.Equal(ActivationLayout.ChannelsFirst, ActivationLayouts.For(SmallNets.DcaseShaped(11, 11, 22), 16)); // pruned widths
        Assert.Equal(ActivationLayout.ChannelsFirst, ActivationLayouts.For(SmallNets.DcaseShaped(16, 16, 24), 16));
        Assert.Equal(ActivationLayout.ChannelsLast, ActivationLayouts.For(SmallNets.DcaseShaped(16, 32, 48), 16));
        var grouped = new SequentialBuilder("grouped", new Shape(16, 8, 8))
            .Add(new Conv2dNode { Name = "dw", Inputs = ["input"], InChannels = 16, OutChannels = 16, Kernel = new Size2(3, 3), Padding = new Size2(1, 1), Groups = 16 })
            .Build();
        Assert.Equal(ActivationLayout.ChannelsFirst, ActivationLayouts.For(grouped, 16));
        var dense = new SequentialBuilder("dense", new Shape(32)).Linear("fc", 16).Build();
        Assert.Equal(ActivationLayout.ChannelsFirst, ActivationLayouts.For(dense, 16));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Inputs_put_channels_last_keep_their_shape_and_values(int channels)
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.randn(2, channels, 5, 7);
        var last = ActivationLayouts.ToChannelsLast(x);
        Assert.Equal(x.shape, last.shape);
        Assert.Equal([5L * 7 * channels, 1, 7L * channels, channels], last.stride());
        Assert.Equal(0f, (x - last).abs().max().item<float>());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Both_layouts_train_the_same_network_identically(int threads)
    {
        var graph = SmallNets.DcaseShaped(16, 16, 32);
        var previous = torch.get_num_threads();
        torch.set_num_threads(threads);
        try
        {
            using var scope = torch.NewDisposeScope();
            var weights = WeightInitializer.Initialize(graph, 2);
            var x = torch.randn(4, 1, 20, 50);
            var first = TrainOnce(graph, weights, x, ActivationLayout.ChannelsFirst);
            var last = TrainOnce(graph, weights, x, ActivationLayout.ChannelsLast);
            Assert.Equal(first.Keys, last.Keys);
            foreach (var (name, expected) in first)
            {
                var error = (last[name] - expected).abs().max().item<float>();
                var scale = Math.Max(1f, expected.abs().max().item<float>());
                Assert.True(error <= 1e-4f * scale, $"{name} differs by {error} (largest value {scale})");
            }
        }
        finally { torch.set_num_threads(previous); }
    }

    [Fact]
    public void A_feature_map_output_leaves_channels_first_at_the_graph_width()
    {
        var graph = new SequentialBuilder("maps", new Shape(1, 12, 20)).Conv("conv1", 16, 3).Relu("relu").Conv("conv2", 11, 3).Build();
        using var scope = torch.NewDisposeScope();
        var weights = WeightInitializer.Initialize(graph, 6);
        var x = torch.randn(2, 1, 12, 20);
        using var reference = TorchGraphModule.Create(graph, weights, ActivationLayout.ChannelsFirst, padChannels: false);
        using var module = TorchGraphModule.Create(graph, weights, ActivationLayout.ChannelsLast, padChannels: true);
        using var _ = torch.no_grad();
        var expected = reference.call(x);
        var actual = module.call(x);
        Assert.Equal(expected.shape, actual.shape);
        Assert.True(actual.is_contiguous(), "the output keeps channels-last strides");
        Assert.Equal(expected.contiguous().data<float>().ToArray(), actual.data<float>().ToArray(), (a, b) => Math.Abs(a - b) <= 1e-4f);
    }

    /// <summary>Output, every parameter's gradient and the batch-norm running statistics after one forward and backward pass.</summary>
    private static Dictionary<string, Tensor> TrainOnce(NetworkGraph graph, WeightMap weights, Tensor x, ActivationLayout layout)
    {
        var module = TorchGraphModule.Create(graph, weights, layout);
        Assert.Equal(layout, module.Layout);
        module.train();
        var output = module.call(x);
        (output * output).sum().backward();
        var results = new Dictionary<string, Tensor>(StringComparer.Ordinal) { ["output"] = output.detach() };
        foreach (var (name, parameter) in module.named_parameters()) results[$"{name} gradient"] = parameter.grad!.detach();
        foreach (var (name, buffer) in module.named_buffers().Where(b => b.name.Contains("running"))) results[name] = buffer.detach();
        return results;
    }
}
