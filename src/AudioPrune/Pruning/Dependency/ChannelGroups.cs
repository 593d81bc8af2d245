using AudioPrune.Graph;
using AudioPrune.Graph.Nodes;

namespace AudioPrune.Pruning.Dependency;

/// <summary>A network's channel groups and the rules that found them (surgery cuts with the same rules).</summary>
internal sealed class ChannelGroups(NetworkGraph graph, IReadOnlyList<ChannelGroup> all, ChannelRules rules)
{
    public NetworkGraph Graph { get; } = graph;
    public ChannelRules Rules { get; } = rules;

    /// <summary>Every group, the network input's and the linear layers' included, in network order.</summary>
    public IReadOnlyList<ChannelGroup> All { get; } = all;

    /// <summary>The groups a conv produces: the ones pruning is about (prunable or not), in network order.</summary>
    public IReadOnlyList<ChannelGroup> ConvGroups => All.Where(g => g.Sources.Count > 0).ToArray();

    public ChannelGroup? Find(string name) => All.FirstOrDefault(g => g.Name == name);

    /// <summary>The conv groups whose tensors include the node's output (a conv's own groups, a bn's, an add's).</summary>
    public IReadOnlyList<ChannelGroup> Containing(string node) =>
        ConvGroups.Where(g => g.Tensors.Any(t => t.Tensor == node)).ToArray();

    /// <summary>Position of the group's naming conv among the network's conv layers (what plans record as index).</summary>
    public int ConvIndexOf(ChannelGroup group) =>
        Graph.ConvLayers.Select((c, i) => (c, i)).First(x => x.c.Name == group.Sources[0].Conv.Name).i;

    public IReadOnlyList<Conv2dNode> SourceConvs(ChannelGroup group) => group.Sources.Select(s => s.Conv).ToArray();
}
