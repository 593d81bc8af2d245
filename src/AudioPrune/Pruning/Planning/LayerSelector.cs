using System.Text.RegularExpressions;
using AudioPrune.Common;
using AudioPrune.Graph;
using AudioPrune.Graph.Nodes;

namespace AudioPrune.Pruning.Planning;

/// <summary>
/// Resolves --layers: comma-separated conv layer names, positions among the conv layers (0-based), or globs
/// ("conv*", "block?_conv1"). Default: every conv layer. Linear layers are never pruned.
/// </summary>
public static class LayerSelector
{
    public static IReadOnlyList<Conv2dNode> Select(NetworkGraph graph, string? spec)
    {
        var convs = graph.ConvLayers;
        if (convs.Count == 0) throw new UserInputException($"network '{graph.Name}' has no conv layers to prune");
        if (string.IsNullOrWhiteSpace(spec)) return convs;
        var chosen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var raw in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (int.TryParse(raw, out var index))
            {
                if (index < 0 || index >= convs.Count)
                    throw new UserInputException($"layer index {index} is outside 0..{convs.Count - 1} (the conv layers of '{graph.Name}')");
                chosen.Add(convs[index].Name);
            }
            else if (raw.Contains('*') || raw.Contains('?'))
            {
                var pattern = new Regex("^" + Regex.Escape(raw).Replace(@"\*", ".*").Replace(@"\?", ".") + "$");
                var matches = convs.Where(c => pattern.IsMatch(c.Name)).ToArray();
                if (matches.Length == 0)
                    throw new UserInputException($"layer pattern '{raw}' matches no conv layer of '{graph.Name}' ({Names(convs)})");
                foreach (var m in matches) chosen.Add(m.Name);
            }
            else if (graph.Contains(raw) && graph[raw] is not Conv2dNode)
            {
                throw new UserInputException($"layer '{raw}' is a {graph[raw].Op} layer; only conv layers are pruned ({Names(convs)})");
            }
            else if (!graph.Contains(raw))
            {
                throw new UserInputException($"layer '{raw}' does not exist in '{graph.Name}' (conv layers: {Names(convs)})");
            }
            else
            {
                chosen.Add(raw);
            }
        }
        return convs.Where(c => chosen.Contains(c.Name)).ToArray();
    }

    private static string Names(IReadOnlyList<Conv2dNode> convs) => string.Join(", ", convs.Select(c => c.Name));
}
