using AudioPrune.Graph;
using AudioPrune.Graph.Nodes;
using AudioPrune.Pruning.Dependency;
using AudioPrune.Pruning.Surgery;

namespace AudioPrune.Tests.Pruning.Groups;

/// <summary>Channel slices and squeeze-excitation gates: their rules split and join groups, and pruning stays exact.</summary>
public sealed class SliceAndGateRuleTests
{
    [Fact]
    public void A_slice_splits_its_producer_into_two_groups_that_are_pruned_exactly()
    {
        var graph = new NetworkGraph("split", new Shape(2, 8, 8),
        [
            .. CoupledNetworks.Block("a", "input", 2, 8),
            new ChannelSliceNode { Name = "low", Inputs = ["a_relu"], Start = 0, Count = 3 },
            new ChannelSliceNode { Name = "high", Inputs = ["a_relu"], Start = 3, Count = 5 },
            CoupledNetworks.Conv("b1", "low", 3, 4), CoupledNetworks.Conv("b2", "high", 5, 4),
            new AddNode { Name = "sum", Inputs = ["b1", "b2"] }, .. CoupledNetworks.Head("sum", 4),
        ]);
        var groups = ChannelDependency.Analyse(graph);
        Assert.Equal(["a 3", "a:3 5", "b1 4"], groups.ConvGroups.Select(g => $"{g.Name} {g.Channels}"));
        Assert.Equal([3, 4, 5, 6, 7], groups.Find("a:3")!.Sources[0].Filters);
        AssertExact(graph, groups, new Dictionary<string, int[]> { ["a"] = [1], ["a:3"] = [0, 2, 4], ["b1"] = [0, 3] }, (g, _) =>
        {
            var high = (ChannelSliceNode)g["high"];
            Assert.Equal((1, 3), (high.Start, high.Count)); // channel 0 of 'a' is gone below 3; 3 of 'high' kept
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
            new MulNode { Name = "scaled", Inputs = ["a_relu", "gate"] },
            .. CoupledNetworks.Block("b", "scaled", 6, 4), .. CoupledNetworks.Head("b_relu", 4),
        ]);
        var groups = ChannelDependency.Analyse(graph);
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
        var expected = MaskedForward.Run(graph, weights, input, masks);
        var actual = MaskedForward.Run(newGraph, newWeights, input);
        Assert.True(expected.Zip(actual, (e, x) => Math.Abs(e - x)).Max() <= 1e-9);
    }
}
