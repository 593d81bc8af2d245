using AudioPrune.Graph.Nodes;

namespace AudioPrune.Pruning.Dependency;

/// <summary>One tensor of a group: <paramref name="Units"/>[k] are its axis-0 units that carry group channel k.</summary>
internal sealed record GroupTensor(string Tensor, int[][] Units);

/// <summary>A conv whose filters produce and score a group: <paramref name="Filters"/>[k] is its filter for channel k.</summary>
internal sealed record GroupSource(Conv2dNode Conv, int[] Filters)
{
    /// <summary>True when the group holds every filter of the conv in order (a plain conv layer).</summary>
    public bool IsWholeLayer => Filters.Length == Conv.OutChannels && Filters.Select((f, i) => f == i).All(same => same);
}

/// <summary>
/// Coupled channels: the units of several tensors that must be removed together, indexed 0..Channels-1 in the order
/// of the naming conv's filters. Pruning group channel k removes unit Units[k] of every member tensor and slices
/// every member parameter's axis there. Prunable when a conv produces it (so a criterion can score it) and nothing
/// blocks it (the network input or output, an unsupported node, a non-depthwise grouped conv).
/// </summary>
internal sealed record ChannelGroup(
    string Name, int Channels, IReadOnlyList<GroupTensor> Tensors, IReadOnlyList<GroupSource> Sources,
    IReadOnlyList<ParameterSlice> Parameters, IReadOnlyList<string> Blockers)
{
    public bool Prunable => Sources.Count > 0 && Blockers.Count == 0;

    /// <summary>Why the group cannot be pruned, or null.</summary>
    public string? WhyNot => Sources.Count == 0 ? "no conv produces these channels"
        : Blockers.Count > 0 ? string.Join("; ", Blockers) : null;

    /// <summary>The nodes whose outputs carry the group (the network input excluded).</summary>
    public IEnumerable<string> Nodes => Tensors.Select(t => t.Tensor).Where(t => t != Graph.NetworkGraph.InputName);

    /// <summary>A single conv's whole layer with nothing coupled to its filters: what a plan of format 1 described.</summary>
    public bool IsPlainLayer => Sources.Count == 1 && Sources[0].IsWholeLayer;
}
