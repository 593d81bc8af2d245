using AudioPrune.Graph;
using AudioPrune.Graph.Nodes;
using AudioPrune.Graph.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace AudioPrune.Tests.Training;

/// <summary>
/// The graph module runs pruned widths padded to whole channel blocks. The padding must be invisible: the same
/// training gives the same outputs and weights as the unpadded module, the extra channels stay exactly zero, and
/// weights go in and come out at the graph's shapes.
/// </summary>
[Collection(TorchSerialCollection.Name)]
public sealed class ChannelPaddingTests
{
    [Fact]
    public void Pruned_widths_are_rounded_up_to_whole_blocks()
    {
        var padded = ChannelPadding.Padded(SmallNets.DcaseShaped(11, 12, 24), 16);
        Assert.NotNull(padded);
        Assert.Equal([16, 16, 32], padded.ConvLayers.Select(c => c.OutChannels));
        Assert.Equal([1, 16, 16], padded.ConvLayers.Select(c => c.InChannels));
        Assert.Equal(16, ((BatchNormNode)padded["bn2"]).Channels);
        Assert.Equal(32, ((LinearNode)padded["fc"]).InFeatures);
        Assert.Equal(10, ((LinearNode)padded["fc"]).OutFeatures);
        Assert.Equal(ActivationLayout.ChannelsLast, ActivationLayouts.For(padded, 16));
    }

    [Fact]
    public void Graphs_the_padding_could_change_or_does_not_help_are_left_alone()
    {
        Assert.Null(ChannelPadding.Padded(SmallNets.DcaseShaped(16, 16, 32), 16));  // whole blocks already
        Assert.Null(ChannelPadding.Padded(SmallNets.DcaseShaped(11, 11, 22), 0));   // a CPU without blocks
        var sigmoid = new SequentialBuilder("sigmoid", new Shape(1, 8, 8)).Conv("conv", 11, 3).Activation("act", ActivationKind.Sigmoid)
            .Flatten("flat").Linear("fc", 4).Build();
        Assert.Null(ChannelPadding.Padded(sigmoid, 16));          // sigmoid(0) = 0.5 on the extra channels
        var concat = new NetworkGraph("concat", new Shape(1, 8, 8),
        [
            new Conv2dNode { Name = "a", Inputs = ["input"], InChannels = 1, OutChannels = 11, Kernel = new Size2(3, 3), Padding = new Size2(1, 1) },
            new Conv2dNode { Name = "b", Inputs = ["input"], InChannels = 1, OutChannels = 5, Kernel = new Size2(3, 3), Padding = new Size2(1, 1) },
            new ConcatNode { Name = "cat", Inputs = ["a", "b"] },
        ]);
        Assert.Null(ChannelPadding.Padded(concat, 16));           // padding would land between the parts
        var head = new SequentialBuilder("head", new Shape(1, 8, 8)).Conv("conv", 11, 3).GlobalPool("gap", GlobalPoolKind.Avg, 1, 2)
            .Activation("softmax", ActivationKind.Softmax).Build();
        Assert.Null(ChannelPadding.Padded(head, 16));             // a softmax over padded channels
    }

    [Fact]
    public void Padded_training_matches_unpadded_training_and_the_extra_channels_stay_zero()
    {
        var graph = SmallNets.DcaseShaped(11, 12, 24);
        using var scope = torch.NewDisposeScope();
        var weights = WeightInitializer.Initialize(graph, 4);
        var x = torch.randn(6, 1, 20, 50);
        var labels = torch.randint(0, 10, [6]);
        // SGD for the comparison: Adam turns the float noise in the near-zero gradients of biases before a batch
        // norm into whole steps, in either module.
        var (plainOutput, plainWeights, plain) = Train(graph, weights, x, labels, padChannels: false, Sgd);
        var (paddedOutput, paddedWeights, padded) = Train(graph, weights, x, labels, padChannels: true, Sgd);
        plain.Dispose();

        AssertClose("output after training", paddedOutput, plainOutput);
        Assert.Equal(plainWeights.Names, paddedWeights.Names);
        foreach (var name in plainWeights.Names)
        {
            Assert.Equal(plainWeights[name].Shape, paddedWeights[name].Shape);
            using var expected = torch.tensor(plainWeights[name].Data);
            using var actual = torch.tensor(paddedWeights[name].Data);
            AssertClose(name, actual, expected);
        }
        Train(padded, x, labels, Adam);
        var state = padded.state_dict();
        foreach (var (name, spec, _) in graph.ParameterTensors.Where(p => p.Spec.Suffix != "running_var"))
        {
            var extra = state[name].detach().clone();
            using var real = ChannelPadding.RealPart(extra, spec.Shape.Select(d => (long)d).ToArray());
            real.zero_();
            var largest = extra.abs().max().item<float>();
            Assert.True(largest == 0f, $"{name}: a padded entry holds {largest}");
        }
        padded.Dispose();
    }

    [Fact]
    public void Weights_go_in_and_come_out_at_the_graph_shapes()
    {
        var graph = SmallNets.DcaseShaped(11, 12, 24);
        var weights = WeightInitializer.Initialize(graph, 9);
        using var module = TorchGraphModule.Create(graph, weights, padChannels: true);
        Assert.True(module.PadsChannels);
        Assert.Equal([16L, 1, 7, 7], module.state_dict()["conv1.weight"].shape);
        var back = module.ToWeightMap();
        foreach (var name in weights.Names) Assert.Equal(weights[name].Data, back[name].Data);
        // What the module executes is the padded network (16/16/32 filters), as the inference benchmark reports.
        Assert.Equal(ComplexityReport.Of(SmallNets.DcaseShaped(16, 16, 32)).Macs, ComplexityReport.Of(module.ExecutedGraph).Macs);
        using var scope = torch.NewDisposeScope();
        using var unpadded = TorchGraphModule.Create(graph, weights, padChannels: false);
        var x = torch.randn(2, 1, 20, 50);
        using (torch.no_grad()) AssertClose("evaluation output", module.call(x), unpadded.call(x));
    }

    private static optim.Optimizer Sgd(TorchGraphModule module) => torch.optim.SGD(module.parameters(), 0.05, momentum: 0.9, weight_decay: 1e-3);

    private static optim.Optimizer Adam(TorchGraphModule module) => torch.optim.Adam(module.parameters(), 1e-2, weight_decay: 1e-3);

    private static (Tensor Output, WeightMap Weights, TorchGraphModule Module) Train(NetworkGraph graph, WeightMap weights, Tensor x, Tensor labels,
        bool padChannels, Func<TorchGraphModule, optim.Optimizer> optimizer)
    {
        var module = TorchGraphModule.Create(graph, weights, padChannels: padChannels);
        Assert.Equal(padChannels, module.PadsChannels);
        Train(module, x, labels, optimizer);
        return (module.call(x).detach(), module.ToWeightMap(), module);
    }

    /// <summary>Three training steps on one batch.</summary>
    private static void Train(TorchGraphModule module, Tensor x, Tensor labels, Func<TorchGraphModule, optim.Optimizer> create)
    {
        module.train();
        using var optimizer = create(module);
        for (var step = 0; step < 3; step++)
        {
            optimizer.zero_grad();
            nn.functional.cross_entropy(module.call(x), labels).backward();
            optimizer.step();
        }
    }

    /// <summary>Largest difference relative to the largest expected value (float32 sums in other orders).</summary>
    private static void AssertClose(string what, Tensor actual, Tensor expected)
    {
        var error = (actual - expected).abs().max().item<float>();
        var scale = Math.Max(1f, expected.abs().max().item<float>());
        Assert.True(error <= 1e-4f * scale, $"{what} differs by {error} (largest value {scale})");
    }
}
