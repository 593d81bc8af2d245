using AudioPrune.Graph;
using AudioPrune.Graph.Nodes;
using AudioPrune.Pruning.Dependency;
using AudioPrune.Pruning.Surgery;

namespace AudioPrune.Tests.Pruning.Groups;

/// <summary>A channel slice x[Start, Start + Length) (test-only stand-in for the coming Slice/Split node).</summary>
public sealed record TestSliceNode : Node
{
    public required int Start { get; init; }
    public required int Length { get; init; }

    public override Shape InferShape(IReadOnlyList<Shape> inputs) => SingleInput(inputs).WithChannels(Length);
}

/// <summary>x * gate[c] with a per-channel gate vector (test-only stand-in for the squeeze-excitation multiply).</summary>
public sealed record TestGateMulNode : Node
{
    public override Shape InferShape(IReadOnlyList<Shape> inputs) => inputs[0];
}

/// <summary>The Slice rule: output channel i is input channel Start + i; once cut, Start counts the kept channels before it.</summary>
public sealed class TestSliceRule : ChannelRule<TestSliceNode>
{
    protected override void Couple(TestSliceNode node, ChannelCoupling coupling) =>
        coupling.TieRange(node.Inputs[0], node.Start, node.Name, 0, node.Length);

    protected override Node Resize(TestSliceNode node, ChannelCut cut) => node with
    {
        Start = cut.Kept(node.Inputs[0])?.Count(u => u < node.Start) ?? node.Start,
        Length = cut.KeptCount(node.Name),
    };
}

/// <summary>The gate-Mul rule: channel c of x, of the gate and of the output is one channel.</summary>
public sealed class TestGateMulRule : ChannelRule<TestGateMulNode>
{
    protected override void Couple(TestGateMulNode node, ChannelCoupling coupling)
    {
        coupling.TieAll(node.Inputs[0], node.Name);
        coupling.TieAll(node.Inputs[1], node.Name);
    }
}

/// <summary>The rule interface fits the node types another branch is adding: each is one rule class, nothing else changes.</summary>
public sealed class FutureNodeRuleTests
{
    private static readonly ChannelRules Rules = ChannelRules.Default.With(new TestSliceRule()).With(new TestGateMulRule());

    [Fact]
    public void A_slice_splits_its_producer_into_two_groups_that_are_pruned_exactly()
    {
        var graph = new NetworkGraph("split", new Shape(2, 8, 8),
        [
            .. CoupledNetworks.Block("a", "input", 2, 8),
            new TestSliceNode { Name = "low", Inputs = ["a_relu"], Start = 0, Length = 3 },
            new TestSliceNode { Name = "high", Inputs = ["a_relu"], Start = 3, Length = 5 },
            CoupledNetworks.Conv("b1", "low", 3, 4), CoupledNetworks.Conv("b2", "high", 5, 4),
            new AddNode { Name = "sum", Inputs = ["b1", "b2"] }, .. CoupledNetworks.Head("sum", 4),
        ]);
        var groups = ChannelDependency.Analyse(graph, Rules);
        Assert.Equal(["a 3", "a:3 5", "b1 4"], groups.ConvGroups.Select(g => $"{g.Name} {g.Channels}"));
        Assert.Equal([3, 4, 5, 6, 7], groups.Find("a:3")!.Sources[0].Filters);
        AssertExact(graph, groups, new Dictionary<string, int[]> { ["a"] = [1], ["a:3"] = [0, 2, 4], ["b1"] = [0, 3] }, (g, _) =>
        {
            var high = (TestSliceNode)g["high"];
            Assert.Equal((1, 3), (high.Start, high.Length)); // channel 0 of 'a' is gone below 3; 3 of 'high' kept
            Assert.Equal(4, ((Conv2dNode)g["a"]).OutChannels);
        });
    }

    [Fact]
    public void A_squeeze_excitation_gate_ties_the_excitation_rows_to_the_gated_conv_and_prunes_exactly()
    {
        var graph = new NetworkGraph("se", new Shape(2, 8, 8),
        [
            .. CoupledNetworks.Block("a", "input", 2, 6),
            new GlobalPoolNode { Name = "squeeze", Inputs = ["a_relu"], Kind = GlobalPoolKind.Avg, Axes = [1, 2] },
            new LinearNode { Name = "fc1", Inputs = ["squeeze"], InFeatures = 6, OutFeatures = 2 }, CoupledNetworks.Relu("fc1_relu", "fc1"),
            new LinearNode { Name = "fc2", Inputs = ["fc1_relu"], InFeatures = 2, OutFeatures = 6 },
            new ActivationNode { Name = "gate", Inputs = ["fc2"], Kind = ActivationKind.Sigmoid },
            new TestGateMulNode { Name = "scaled", Inputs = ["a_relu", "gate"] },
            .. CoupledNetworks.Block("b", "scaled", 6, 4), .. CoupledNetworks.Head("b_relu", 4),
        ]);
        var groups = ChannelDependency.Analyse(graph, Rules);
        var a = groups.Find("a")!;
        Assert.Equal(["a", "a_bn", "a_relu", "squeeze", "fc2", "gate", "scaled"], a.Nodes);
        Assert.True(a.Prunable, a.WhyNot);
        AssertExact(graph, groups, new Dictionary<string, int[]> { ["a"] = [0, 2, 5] }, (g, _) =>
        {
            Assert.Equal(3, ((LinearNode)g["fc1"]).InFeatures);
            Assert.Equal(3, ((LinearNode)g["fc2"]).OutFeatures);
        });
    }

    private static void AssertExact(NetworkGraph graph, ChannelGroups groups, Dictionary<string, int[]> kept, Action<NetworkGraph, WeightMap> check)
    {
        var weights = CoupledNetworks.Weights(graph, 2);
        var (newGraph, newWeights) = NetworkSurgery.Apply(graph, weights, kept, groups);
        check(newGraph, newWeights);
        var decisions = kept.Select(k => new global::AudioPrune.Pruning.Planning.LayerDecision(k.Key, 0, groups.Find(k.Key)!.Channels, k.Value,
            Enumerable.Range(0, groups.Find(k.Key)!.Channels).Except(k.Value).ToArray(), null, 0));
        var masks = GroupSurgeryTests.Masks(groups, decisions);
        var input = CoupledNetworks.Input(graph, 1);
        var expected = MaskedForward.Run(graph, weights, input, masks, Evaluate);
        var actual = MaskedForward.Run(newGraph, newWeights, input, custom: Evaluate);
        Assert.True(expected.Zip(actual, (e, x) => Math.Abs(e - x)).Max() <= 1e-9);
    }

    private static double[]? Evaluate(Node node, double[][] inputs, int[] shape) => node switch
    {
        TestSliceNode s => inputs[0].AsSpan(s.Start * shape[1] * shape[2], s.Length * shape[1] * shape[2]).ToArray(),
        TestGateMulNode => inputs[0].Select((v, i) => v * inputs[1][i / (inputs[0].Length / inputs[1].Length)]).ToArray(),
        _ => null,
    };
}
