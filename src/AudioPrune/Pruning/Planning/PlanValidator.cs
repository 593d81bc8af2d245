using AudioPrune.Common;
using AudioPrune.Graph;
using AudioPrune.Pruning.Dependency;

namespace AudioPrune.Pruning.Planning;

/// <summary>
/// The one set of checks every plan passes, whether the program made it or a file brought it (--match-plan,
/// --plan-in): each layer named once and a prunable channel group of the model (a plain conv layer, or a coupled
/// group whose recorded convs and nodes are the model's), at its recorded conv index, its filter count the model's
/// real group width (never the plan's own word), its kept filters non-empty, ascending, distinct and in range,
/// its pruned filters exactly the rest, and no list longer than <see cref="InputLimits.MaxPlanListEntries"/>.
/// </summary>
internal static class PlanValidator
{
    /// <summary>The checks that need no model (names given once, bounded lists): cheap enough to run before loading one.</summary>
    public static void EnsureWellFormed(IReadOnlyList<LayerDecision?> layers, string source)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            if (layer?.Name is null || layer.Kept is null || layer.Group is { Convs: null } or { Nodes: null })
                throw UserInputException.InFile(source, $"layers[{i}] has no name, no kept filters or a group without members; the plan is damaged");
            if (!names.Add(layer.Name)) throw UserInputException.InFile(source, $"layer '{layer.Name}' appears twice; the plan is damaged");
            var longest = new[] { layer.Kept.Length, layer.Pruned?.Length ?? 0, layer.Group?.Nodes.Length ?? 0 }.Max();
            if (longest > InputLimits.MaxPlanListEntries)
                throw Bad(source, layer, $"lists {longest:N0} filters; a plan may list at most {InputLimits.MaxPlanListEntries:N0} per layer");
        }
    }

    /// <summary>Every check, against the model the plan is applied to (given as its channel groups).</summary>
    public static void Ensure(IReadOnlyList<LayerDecision> layers, ChannelGroups groups, string source)
    {
        EnsureWellFormed(layers, source);
        var graph = groups.Graph;
        foreach (var layer in layers)
        {
            var group = groups.ConvGroups.FirstOrDefault(g => g.Name == layer.Name)
                ?? throw Bad(source, layer, $"is not a conv layer or channel group of '{graph.Name}' (its groups: {string.Join(", ", groups.ConvGroups.Select(g => g.Name).Take(12))})");
            if (group.WhyNot is { } why) throw Bad(source, layer, $"the model's group cannot be pruned: {why}");
            EnsureMembers(layer, group, source);
            var width = group.Channels;
            if (layer.Filters != width) throw Bad(source, layer, $"the plan says {layer.Filters} filters, the model's layer has {width}");
            var index = groups.ConvIndexOf(group);
            if (layer.Index != index) throw Bad(source, layer, $"recorded as conv layer {layer.Index}, the model's is {index}");
            EnsureKept(layer, width, source);
        }
    }

    /// <summary>A plain layer has no group record; a coupled group's record names exactly the model's members.</summary>
    private static void EnsureMembers(LayerDecision layer, ChannelGroup group, string source)
    {
        if (layer.Group is null)
        {
            if (!group.IsPlainLayer)
                throw Bad(source, layer, $"is coupled with {string.Join(", ", group.Sources.Skip(1).Select(s => s.Conv.Name).DefaultIfEmpty("other channels"))} in the model, which the plan does not record; make a plan for this model");
            return;
        }
        var expected = GroupRecord.Of(group);
        if (!layer.Group.Convs.SequenceEqual(expected.Convs) || !layer.Group.Nodes.SequenceEqual(expected.Nodes))
            throw Bad(source, layer, $"the plan's group has convs [{string.Join(", ", layer.Group.Convs)}], the model's [{string.Join(", ", expected.Convs)}] over nodes [{string.Join(", ", expected.Nodes)}]");
    }

    private static void EnsureKept(LayerDecision layer, int width, string source)
    {
        if (layer.Kept.Length == 0) throw Bad(source, layer, "keeps no filters; at least one must stay");
        for (var i = 0; i < layer.Kept.Length; i++)
        {
            var filter = layer.Kept[i];
            if (filter < 0 || filter >= width) throw Bad(source, layer, $"kept filter {filter} is outside 0..{width - 1}");
            if (i > 0 && filter == layer.Kept[i - 1]) throw Bad(source, layer, $"kept filter {filter} is listed twice");
            if (i > 0 && filter < layer.Kept[i - 1]) throw Bad(source, layer, $"kept filters are not in ascending order ({layer.Kept[i - 1]} before {filter})");
        }
        if (layer.Pruned is { } pruned && !pruned.SequenceEqual(Enumerable.Range(0, width).Except(layer.Kept)))
            throw Bad(source, layer, $"its {pruned.Length} pruned and {layer.Kept.Length} kept filters are not a split of its {width} filters");
    }

    private static UserInputException Bad(string source, LayerDecision layer, string problem) =>
        UserInputException.InFile(source, $"layer '{layer.Name}': {problem}");
}
