using AudioPrune.Common;
using AudioPrune.Graph;
using AudioPrune.Graph.Nodes;

namespace AudioPrune.Pruning.Planning;

/// <summary>
/// The one set of checks every plan passes, whether the program made it or a file brought it (--match-plan,
/// --plan-in): each layer named once and a conv layer of the model, at its recorded conv index, its filter count the
/// model's real layer width (never the plan's own word), its kept filters non-empty, ascending, distinct and in range,
/// its pruned filters exactly the rest, and no list longer than <see cref="InputLimits.MaxPlanListEntries"/>.
/// </summary>
public static class PlanValidator
{
    /// <summary>The checks that need no model (names given once, bounded lists): cheap enough to run before loading one.</summary>
    public static void EnsureWellFormed(IReadOnlyList<LayerDecision?> layers, string source)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            if (layer?.Name is null || layer.Kept is null)
                throw UserInputException.InFile(source, $"layers[{i}] has no name or no kept filters; the plan is damaged");
            if (!names.Add(layer.Name)) throw UserInputException.InFile(source, $"layer '{layer.Name}' appears twice; the plan is damaged");
            var longest = Math.Max(layer.Kept.Length, layer.Pruned?.Length ?? 0);
            if (longest > InputLimits.MaxPlanListEntries)
                throw Bad(source, layer, $"lists {longest:N0} filters; a plan may list at most {InputLimits.MaxPlanListEntries:N0} per layer");
        }
    }

    /// <summary>Every check, against the model the plan is applied to.</summary>
    public static void Ensure(IReadOnlyList<LayerDecision> layers, NetworkGraph graph, string source)
    {
        EnsureWellFormed(layers, source);
        var convIndex = graph.ConvLayers.Select((c, i) => (c, i)).ToDictionary(x => x.c.Name, x => x.i, StringComparer.Ordinal);
        foreach (var layer in layers)
        {
            if (!convIndex.TryGetValue(layer.Name, out var index))
                throw Bad(source, layer, $"is not a conv layer of '{graph.Name}' (its conv layers: {string.Join(", ", convIndex.Keys.Take(12))})");
            var width = ((Conv2dNode)graph[layer.Name]).OutChannels;
            if (layer.Filters != width) throw Bad(source, layer, $"the plan says {layer.Filters} filters, the model's layer has {width}");
            if (layer.Index != index) throw Bad(source, layer, $"recorded as conv layer {layer.Index}, the model's is {index}");
            EnsureKept(layer, width, source);
        }
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
