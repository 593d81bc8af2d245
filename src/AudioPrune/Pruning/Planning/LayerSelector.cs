using System.Text.RegularExpressions;
using AudioPrune.Common;
using AudioPrune.Graph;
using AudioPrune.Pruning.Dependency;

namespace AudioPrune.Pruning.Planning;

/// <summary>
/// Resolves --layers to channel groups: comma-separated group names, names of any node whose output the group
/// carries (a member conv, its batch norm, a residual add), positions among the conv layers (0-based; the group of
/// that conv), or globs over both kinds of name ("conv*", "block?_conv1"). Default: every prunable group. A group
/// named outright that cannot be pruned is refused with the reason; a glob skips such groups, unless it matches
/// nothing else. A plain conv layer is its own group, named after it. Linear layers are never pruned.
/// </summary>
internal static class LayerSelector
{
    public static IReadOnlyList<ChannelGroup> Select(NetworkGraph graph, string? spec) =>
        Select(ChannelDependency.Analyse(graph), spec);

    public static IReadOnlyList<ChannelGroup> Select(ChannelGroups groups, string? spec)
    {
        var graph = groups.Graph;
        var convs = graph.ConvLayers;
        if (convs.Count == 0) throw new UserInputException($"network '{graph.Name}' has no conv layers to prune");
        if (string.IsNullOrWhiteSpace(spec)) return Default(groups);
        var chosen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var raw in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            foreach (var group in Resolve(groups, raw)) chosen.Add(group.Name);
        }
        return groups.ConvGroups.Where(g => chosen.Contains(g.Name)).ToArray();
    }

    private static IReadOnlyList<ChannelGroup> Default(ChannelGroups groups)
    {
        var prunable = groups.ConvGroups.Where(g => g.Prunable).ToArray();
        if (prunable.Length == 0)
            throw new UserInputException($"network '{groups.Graph.Name}' has no prunable channel group ({WhyNot(groups.ConvGroups[0])})");
        return prunable;
    }

    private static IEnumerable<ChannelGroup> Resolve(ChannelGroups groups, string raw)
    {
        var graph = groups.Graph;
        var convs = graph.ConvLayers;
        if (int.TryParse(raw, out var index))
        {
            if (index < 0 || index >= convs.Count)
                throw new UserInputException($"layer index {index} is outside 0..{convs.Count - 1} (the conv layers of '{graph.Name}')");
            return Prunable(groups.Containing(convs[index].Name));
        }
        if (raw.Contains('*') || raw.Contains('?'))
        {
            var pattern = new Regex("^" + Regex.Escape(raw).Replace(@"\*", ".*").Replace(@"\?", ".") + "$");
            var matches = groups.ConvGroups.Where(g => pattern.IsMatch(g.Name) || g.Nodes.Any(pattern.IsMatch)).ToArray();
            if (matches.Length == 0)
                throw new UserInputException($"layer pattern '{raw}' matches no conv layer of '{graph.Name}' ({Names(groups)})");
            var prunable = matches.Where(g => g.Prunable).ToArray();
            return prunable.Length > 0 ? prunable : Prunable(matches);
        }
        if (groups.ConvGroups.FirstOrDefault(g => g.Name == raw) is { } named) return Prunable([named]);
        if (groups.Containing(raw) is { Count: > 0 } containing) return Prunable(containing);
        if (graph.Contains(raw))
            throw new UserInputException($"layer '{raw}' is a {graph[raw].Op} layer; only conv layers are pruned ({Names(groups)})");
        throw new UserInputException($"layer '{raw}' does not exist in '{graph.Name}' (conv layers: {Names(groups)})");
    }

    /// <summary>The groups, refusing the first that cannot be pruned.</summary>
    private static IReadOnlyList<ChannelGroup> Prunable(IReadOnlyList<ChannelGroup> groups)
    {
        if (groups.FirstOrDefault(g => !g.Prunable) is { } blocked)
            throw new UserInputException($"group '{blocked.Name}' cannot be pruned: {WhyNot(blocked)}");
        return groups;
    }

    private static string WhyNot(ChannelGroup group) => group.WhyNot ?? "it can";

    private static string Names(ChannelGroups groups) => string.Join(", ", groups.ConvGroups.Select(g => g.Name));
}
