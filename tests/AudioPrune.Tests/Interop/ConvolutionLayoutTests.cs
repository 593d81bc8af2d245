using Onnx;
using AudioPrune.Graph;
using AudioPrune.Graph.Nodes;
using AudioPrune.Interop;
using AudioPrune.Interop.Onnx;
using AudioPrune.Zoo;

namespace AudioPrune.Tests.Interop;

/// <summary>
/// The blocked convolution layouts rewrite convolutions (input-channel chunks, row folding) for ONNX Runtime's
/// blocked CPU kernels. The rewrites must be exact on every network, whichever CPU runs the test, and must
/// apply where the plan says: here the plan's rules, there ONNX Runtime's outputs against TorchSharp's.
/// </summary>
[Collection(TorchSerialCollection.Name)]
public sealed class ConvolutionLayoutTests
{
    private static Conv2dNode Conv(int inChannels, int outChannels, int stride = 1, int groups = 1) => new()
    {
        Name = "c", Inputs = [NetworkGraph.InputName], InChannels = inChannels, OutChannels = outChannels,
        Kernel = Size2.Square(7), Stride = Size2.Square(stride), Padding = Size2.Square(3), Groups = groups,
    };

    [Fact]
    public void Input_channels_off_the_block_are_split_into_a_multiple_of_the_block_and_a_remainder()
    {
        var output = new Shape(11, 40, 500);
        Assert.Equal([new ChannelRange(0, 8), new ChannelRange(8, 3)], ConvolutionPlan.For(Conv(11, 11), output, ConvolutionLayout.Blocked8).InputChunks);
        Assert.Equal([new ChannelRange(0, 16), new ChannelRange(16, 6)], ConvolutionPlan.For(Conv(22, 11), output, ConvolutionLayout.Blocked8).InputChunks);
        Assert.Single(ConvolutionPlan.For(Conv(16, 11), output, ConvolutionLayout.Blocked8).InputChunks);
        Assert.Single(ConvolutionPlan.For(Conv(11, 11), output, ConvolutionLayout.Blocked16).InputChunks); // below the block: taken as it is
        Assert.Single(ConvolutionPlan.For(Conv(1, 11), output, ConvolutionLayout.Blocked8).InputChunks);
        Assert.Single(ConvolutionPlan.For(Conv(12, 12, groups: 2), output, ConvolutionLayout.Blocked8).InputChunks);
    }

    [Fact]
    public void The_row_fold_is_the_cheapest_in_padded_multiply_adds_with_few_blocks_penalised()
    {
        int Fold(int inChannels, int outChannels, Shape output, ConvolutionLayout layout, int stride = 1) =>
            ConvolutionPlan.For(Conv(inChannels, outChannels, stride), output, layout).RowFold;
        var wide = new Shape(11, 40, 500);
        // 8-channel blocks: rows folded by 2 up to two blocks of filters, as measured on AVX2.
        Assert.Equal(2, Fold(11, 11, wide, ConvolutionLayout.Blocked8));
        Assert.Equal(2, Fold(16, 16, wide, ConvolutionLayout.Blocked8));
        Assert.Equal(1, Fold(16, 32, new Shape(32, 8, 100), ConvolutionLayout.Blocked8));
        Assert.Equal(1, Fold(11, 22, new Shape(22, 8, 100), ConvolutionLayout.Blocked8));
        // 16-channel blocks: 11 filters fold by 4 (44 of 48 filters used), 16 by 2, 32 already fill two blocks.
        Assert.Equal(4, Fold(11, 11, wide, ConvolutionLayout.Blocked16));
        // A single input channel saves too little for the interleave, unless the kernel is short of blocks.
        Assert.Equal(1, Fold(1, 11, wide, ConvolutionLayout.Blocked16));
        Assert.Equal(1, Fold(1, 16, wide, ConvolutionLayout.Blocked16));
        Assert.Equal(2, Fold(1, 11, wide, ConvolutionLayout.Blocked8));
        Assert.Equal(2, Fold(16, 16, wide, ConvolutionLayout.Blocked16));
        Assert.Equal(2, Fold(11, 22, new Shape(22, 8, 100), ConvolutionLayout.Blocked16));
        Assert.Equal(1, Fold(16, 32, new Shape(32, 8, 100), ConvolutionLayout.Blocked16));
        Assert.Equal(1, Fold(64, 64, wide, ConvolutionLayout.Blocked16));
        // Rows fold only at stride 1 and when the fold divides the output height.
        Assert.Equal(2, Fold(11, 11, new Shape(11, 42, 500), ConvolutionLayout.Blocked16));
        Assert.Equal(1, Fold(16, 16, new Shape(16, 41, 500), ConvolutionLayout.Blocked8));
        Assert.Equal(1, Fold(16, 16, new Shape(16, 20, 250), ConvolutionLayout.Blocked8, stride: 2));
        Assert.True(ConvolutionPlan.For(Conv(16, 16), wide, ConvolutionLayout.Plain).IsPlain);
    }

    [Fact]
    public void The_executed_multiply_adds_count_padded_filters_and_the_zeros_of_folded_kernels()
    {
        long Macs(Conv2dNode conv, Shape output, ConvolutionLayout layout) => ConvolutionPlan.For(conv, output, layout).Macs(conv, output);
        var wide = new Shape(11, 40, 500);
        var exact = Conv(11, 11).Macs([new Shape(11, 40, 500)], wide);
        Assert.Equal(exact, Macs(Conv(11, 11), wide, ConvolutionLayout.Plain));
        // Folded by 4 on 16-channel blocks: 44 filters padded to 48, kernels 10 rows tall, a quarter of the rows.
        Assert.Equal(11L * 48 * 10 * 7 * 10 * 500, Macs(Conv(11, 11), wide, ConvolutionLayout.Blocked16));
        // Folded by 2 on 8-channel blocks: 22 filters padded to 24, kernels 8 rows tall, half the rows.
        Assert.Equal(11L * 24 * 8 * 7 * 20 * 500, Macs(Conv(11, 11), wide, ConvolutionLayout.Blocked8));
        // Unfolded, the filters are still padded; a grouped convolution is written plain.
        Assert.Equal(1L * 16 * 49 * 40 * 500, Macs(Conv(1, 11), wide, ConvolutionLayout.Blocked16));
        var grouped = Conv(12, 12, groups: 2);
        Assert.Equal(grouped.Macs([new Shape(12, 40, 500)], new Shape(12, 40, 500)), Macs(grouped, new Shape(12, 40, 500), ConvolutionLayout.Blocked16));

        // The pruned DCASE21_Net (11/11/22): conv1 16 of 11 filters, conv2 as above, conv3 folded by 2 (44 of 48),
        // and the two dense layers as they are.
        var pruned = InteropFixtures.PrunedDcase21();
        Assert.Equal(ComplexityReport.Of(pruned).Macs, OnnxExecutedMacs.Of(pruned, ConvolutionLayout.Plain));
        var conv3 = 11L * 48 * 8 * 7 * 4 * 100;
        Assert.Equal(15_680_000 + 184_800_000 + conv3 + 44 * 100 + 100 * 10, OnnxExecutedMacs.Of(pruned, ConvolutionLayout.Blocked16));
    }

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var network in new[] { "dcase21", "pruned", "odd" })
            foreach (var layout in Enum.GetValues<ConvolutionLayout>())
                data.Add(network, ConvolutionLayouts.Name(layout));
        data.Add("vggish", ConvolutionLayouts.Name(ConvolutionLayout.Blocked8));
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_layout_runs_in_onnx_runtime_as_torchsharp_does(string network, string layoutName)
    {
        var layout = ConvolutionLayouts.Parse(layoutName);
        var graph = network switch
        {
            "pruned" => InteropFixtures.PrunedDcase21(),
            "odd" => OddShapes(),
            "vggish" => ModelZoo.Create("vggish", input: new Shape(1, 32, 24)).Graph,
            _ => ModelZoo.Create(network).Graph,
        };
        var model = InteropFixtures.WithWeights(graph);
        using var temp = new TempDirectory();
        var path = temp.File("model.onnx");
        OnnxExporter.Write(model, path, new OnnxExportOptions(FoldBatchNorm: true, IncludeProbabilityHead: false, ConvolutionLayout: layout));

        using var runner = new OnnxModelRunner(path);
        Assert.Equal(ConvolutionLayouts.Name(layout), runner.Metadata["conv_layout"]);
        foreach (var batch in new[] { 1, 3 })
        {
            var input = InteropFixtures.RandomInput(batch * (int)graph.Input.Elements, seed: batch);
            var expected = InteropFixtures.TorchOutput(model with { Graph = graph.WithoutProbabilityHead() }, input, batch);
            InteropFixtures.AssertClose(expected, runner.Run(input, batch), 1e-4);
        }
    }

    [Fact]
    public void The_blocked_layouts_rewrite_the_pruned_network_and_plain_does_not()
    {
        var model = InteropFixtures.WithWeights(InteropFixtures.PrunedDcase21());
        int Count(ConvolutionLayout layout, string op) =>
            OnnxExporter.Build(model, new OnnxExportOptions(FoldBatchNorm: true, ConvolutionLayout: layout)).Graph.Node.Count(n => n.OpType == op);

        Assert.Equal(3, Count(ConvolutionLayout.Plain, "Conv"));
        Assert.Equal(0, Count(ConvolutionLayout.Plain, "Slice"));
        // conv1 and conv2 folded by 2 (11 filters <= 2 x 8); conv2 and conv3 read 11 channels, split 8 + 3 (4 slices);
        // conv2's 22 folded filters, padded to 24 for its column pool, are sliced back (1 more).
        Assert.Equal(5, Count(ConvolutionLayout.Blocked8, "Conv"));
        Assert.Equal(2, Count(ConvolutionLayout.Blocked8, "Transpose"));
        Assert.Equal(5, Count(ConvolutionLayout.Blocked8, "Slice"));
        // 16-channel blocks: conv2 folded by 4, conv3 by 2; no input is split (1 and 11 channels are below the block);
        // each one's 44 folded filters are padded to 48 for its column pool and sliced back.
        Assert.Equal(2, Count(ConvolutionLayout.Blocked16, "Transpose"));
        Assert.Equal(2, Count(ConvolutionLayout.Blocked16, "Slice"));
        // Each ReLU sits between its convolution and the interleave, where ONNX Runtime fuses it.
        var graph = OnnxExporter.Build(model, new OnnxExportOptions(FoldBatchNorm: true, ConvolutionLayout: ConvolutionLayout.Blocked16)).Graph;
        foreach (var relu in graph.Node.Where(n => n.OpType == "Relu" && n.Name != "relu4"))
            Assert.Contains(graph.Node, n => n.Output.Contains(relu.Input[0]) && n.OpType == "Conv");
        // The 5x5 and 4x100 pools: columns straight after each folded convolution's ReLU, rows after the interleave.
        string Kernel(NodeProto n) => string.Join("x", n.Attribute.Single(a => a.Name == "kernel_shape").Ints);
        var pools = graph.Node.Where(n => n.OpType == "MaxPool").ToDictionary(n => n.Name, Kernel);
        Assert.Equal(new Dictionary<string, string> { ["bn2_column_pool"] = "1x5", ["pool1"] = "5x1", ["bn3_column_pool"] = "1x100", ["pool2"] = "4x1" }, pools);
        foreach (var columnPool in graph.Node.Where(n => n.Name.EndsWith("_column_pool", StringComparison.Ordinal)))
            Assert.Contains(graph.Node, n => n.Output.Contains(columnPool.Input[0]) && n.OpType == "Relu");
    }

    /// <summary>Odd heights and widths, a stride-2 layer, no-bias and grouped convolutions, 20 channels (off both blocks).</summary>
    private static NetworkGraph OddShapes() => new SequentialBuilder("odd", new Shape(3, 18, 13))
        .Conv("c1", 20, 3).BatchNorm("bn1").Relu("r1")
        .Conv("c2", 11, new Size2(5, 3), new Size2(2, 1), bias: false).Relu("r2")
        .Conv("c3", 12, 3, stride: 2).Relu("r3")
        .Add(new Conv2dNode { Name = "c4", Inputs = ["r3"], InChannels = 12, OutChannels = 6, Kernel = Size2.Square(3), Padding = Size2.Square(1), Groups = 2 })
        .Flatten("flat").Linear("fc", 4).Build();
}
