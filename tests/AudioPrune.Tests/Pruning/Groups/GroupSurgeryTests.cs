using AudioPrune.Graph;
using AudioPrune.Graph.Torch;
using AudioPrune.Pruning.Dependency;
using AudioPrune.Pruning.Planning;
using TorchSharp;
using static TorchSharp.torch;

namespace AudioPrune.Tests.Pruning.Groups;

/// <summary>
/// Exactness on every coupling pattern and every criterion: the pruned network's output equals, to 1e-5 in float64,
/// the original network's with the pruned channels zeroed, meaning a mask at every tensor of every pruned group
/// (each member tensor's units of the pruned group channels set to zero right after the node that makes it).
/// Both sides run in <see cref="MaskedForward"/>, which shares nothing with the surgery; it is itself checked
/// against TorchSharp on the unpruned networks.
/// </summary>
[Collection(TorchSerialCollection.Name)]
public sealed class GroupSurgeryTests
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var pattern in CoupledNetworks.Patterns)
        {
            foreach (var method in CriterionCatalog.Names) data.Add(pattern, method);
        }
        return data;
    }

    public static TheoryData<string> Patterns => new(CoupledNetworks.Patterns);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Pruned_network_equals_the_original_with_the_pruned_group_channels_masked(string pattern, string method)
    {
        var graph = CoupledNetworks.Create(pattern);
        var weights = CoupledNetworks.Weights(graph, seed: 7);
        var request = new PruningRequest
        {
            Method = method,
            Ratio = method is "similarity" or "nystrom" ? null : 0.5,
            Criterion = new CriterionOptions { Seed = 3 },
        };
        var result = PruningPlanner.Run(graph, weights, request);
        var groups = ChannelDependency.Analyse(graph);
        Assert.Equal(groups.ConvGroups.Select(g => g.Name), result.Plan.Layers.Select(l => l.Name));
        Assert.All(result.Plan.Layers, l => Assert.True(l.Kept.Length < l.Filters, $"{method} pruned nothing in {l.Name}"));

        var masks = Masks(groups, result.Plan.Layers);
        for (var example = 0; example < 3; example++)
        {
            var input = CoupledNetworks.Input(graph, example);
            var expected = MaskedForward.Run(graph, weights, input, masks);
            var actual = MaskedForward.Run(result.Graph, result.Weights, input);
            Assert.Equal(expected.Length, actual.Length);
            var difference = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
            Assert.True(difference <= 1e-5, $"{pattern}/{method}: outputs differ by {difference}");
        }
        // The masks matter: without them the outputs differ, so the check can fail.
        var unmasked = MaskedForward.Run(graph, weights, CoupledNetworks.Input(graph, 0));
        Assert.True(unmasked.Zip(MaskedForward.Run(result.Graph, result.Weights, CoupledNetworks.Input(graph, 0)), (e, a) => Math.Abs(e - a)).Max() > 1e-6);
        Assert.Equal(result.Plan.After.ParamsTotal, result.Weights.Entries.Sum(e => e.Value.Elements));
    }

    [Theory]
    [MemberData(nameof(Patterns))]
    public void The_reference_forward_agrees_with_torchsharp_in_float64(string pattern)
    {
        var graph = CoupledNetworks.Create(pattern);
        var weights = CoupledNetworks.Weights(graph, seed: 7);
        var input = CoupledNetworks.Input(graph, 0);
        var expected = MaskedForward.Run(graph, weights, input);
        using var scope = NewDisposeScope();
        using var module = TorchGraphModule.Create(graph, weights);
        module.to(ScalarType.Float64);
        module.eval();
        using var noGrad = no_grad();
        var x = tensor(input, [1, .. graph.Input.Dims.Select(d => (long)d)], ScalarType.Float64);
        var actual = module.call(x).data<double>().ToArray();
        Assert.Equal(expected.Length, actual.Length);
        Assert.True(expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max() <= 1e-9);
    }

    /// <summary>For every member tensor of every pruned group, the units of its pruned channels.</summary>
    internal static Dictionary<string, HashSet<int>> Masks(ChannelGroups groups, IEnumerable<LayerDecision> decisions)
    {
        var masks = new Dictionary<string, HashSet<int>>(StringComparer.Ordinal);
        foreach (var decision in decisions)
        {
            foreach (var member in groups.Find(decision.Name)!.Tensors)
            {
                if (!masks.TryGetValue(member.Tensor, out var units)) masks[member.Tensor] = units = [];
                foreach (var k in decision.Pruned) units.UnionWith(member.Units[k]);
            }
        }
        return masks;
    }
}
