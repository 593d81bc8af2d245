using AudioPrune.Common;
using AudioPrune.Graph;
using AudioPrune.Pruning.Dependency;

namespace AudioPrune.Pruning.Surgery;

/// <summary>
/// Rebuilds a network without the pruned channels of some channel groups (docs/method.md, sections 1 and 4). Every
/// member of a pruned group is cut consistently: each member tensor loses the units of the pruned channels, each
/// parameter axis declared to follow a member tensor is sliced to the kept units, and each node's channel rule
/// refits its sizes. Groups that cannot be pruned (reaching the network output, an unsupported
/// node, a non-depthwise grouped conv) are refused with the reason. The new graph is validated by construction.
/// </summary>
internal static class NetworkSurgery
{
    /// <param name="keptByGroup">Kept group channels (ascending) by group name; a plain conv's group is named after it.</param>
    public static (NetworkGraph Graph, WeightMap Weights) Apply(
        NetworkGraph graph, WeightMap weights, IReadOnlyDictionary<string, int[]> keptByGroup, ChannelGroups? groups = null)
    {
        groups ??= ChannelDependency.Analyse(graph);
        var kept = KeptUnits(graph, groups, keptByGroup);
        var sliced = new Dictionary<string, TensorData>(StringComparer.Ordinal);
        // A tensor split over several groups (by a concat) lists its parameter slices in each: slice once.
        foreach (var p in groups.All.SelectMany(g => g.Parameters).Distinct().Where(p => kept.ContainsKey(p.Tensor)))
            sliced[p.Parameter] = TensorSlicing.Select(sliced.GetValueOrDefault(p.Parameter) ?? weights[p.Parameter], p.Axis, kept[p.Tensor]);
        var cut = new ChannelCut(kept, t => graph.ShapeOf(t)[0]);
        var replacements = graph.Nodes.ToDictionary(n => n.Name, n => groups.Rules.For(n).Resize(n, cut), StringComparer.Ordinal);
        var newGraph = graph.WithNodes(replacements);
        var newWeights = new WeightMap(weights.Entries.Select(e =>
            new KeyValuePair<string, TensorData>(e.Key, sliced.TryGetValue(e.Key, out var t) ? t : e.Value)));
        return (newGraph, newWeights.OrderedLike(newGraph));
    }

    /// <summary>For every tensor that loses units, the units it keeps (ascending).</summary>
    private static Dictionary<string, int[]> KeptUnits(NetworkGraph graph, ChannelGroups groups, IReadOnlyDictionary<string, int[]> keptByGroup)
    {
        var removed = new Dictionary<string, bool[]>(StringComparer.Ordinal);
        foreach (var (name, keptChannels) in keptByGroup)
        {
            var group = Prunable(graph, groups, name);
            CheckKept(name, keptChannels, group.Channels);
            var keptChannel = new bool[group.Channels];
            foreach (var k in keptChannels) keptChannel[k] = true;
            foreach (var member in group.Tensors)
            {
                if (!removed.TryGetValue(member.Tensor, out var units)) removed[member.Tensor] = units = new bool[graph.ShapeOf(member.Tensor)[0]];
                for (var k = 0; k < group.Channels; k++)
                {
                    if (keptChannel[k]) continue;
                    foreach (var unit in member.Units[k]) units[unit] = true;
                }
            }
        }
        return removed.Where(r => r.Value.Contains(true)).ToDictionary(
            r => r.Key, r => Enumerable.Range(0, r.Value.Length).Where(u => !r.Value[u]).ToArray(), StringComparer.Ordinal);
    }

    private static ChannelGroup Prunable(NetworkGraph graph, ChannelGroups groups, string name)
    {
        var group = groups.Find(name);
        if (group is null || group.Sources.Count == 0)
        {
            var owner = groups.Containing(name).Select(g => g.Name).FirstOrDefault();
            throw new UserInputException(owner is null
                ? $"layer '{name}': not a channel group of '{graph.Name}' (groups: {string.Join(", ", groups.ConvGroups.Select(g => g.Name).Take(12))})"
                : $"layer '{name}': its channels belong to group '{owner}'; name the group");
        }
        if (group.WhyNot is { } why) throw new UserInputException($"group '{name}' cannot be pruned: {why}");
        return group;
    }

    private static void CheckKept(string layer, int[] kept, int filters)
    {
        if (kept.Length == 0) throw new UserInputException($"layer '{layer}': keeps no filters; at least one must stay");
        for (var i = 0; i < kept.Length; i++)
        {
            if (kept[i] < 0 || kept[i] >= filters)
                throw new UserInputException($"layer '{layer}': kept filter {kept[i]} is outside 0..{filters - 1}");
            if (i > 0 && kept[i] <= kept[i - 1])
                throw new UserInputException($"layer '{layer}': kept filters must be ascending and distinct");
        }
    }
}
