using AudioPrune.Pruning.Dependency;

namespace AudioPrune.Reports;

/// <summary>
/// The channel groups `inspect` lists after the layer table (and in its --json): each group's name (what --layers
/// takes), its channels, the convs whose filters it cuts, the other nodes that carry it, and whether it can be pruned.
/// </summary>
internal sealed record ChannelGroupReport(string Name, int Channels, string[] Convs, string[] Nodes, bool Prunable, string? WhyNot)
{
    public static IReadOnlyList<ChannelGroupReport> Of(ChannelGroups groups) => groups.ConvGroups
        .Select(g => new ChannelGroupReport(g.Name, g.Channels, g.Sources.Select(s => s.Conv.Name).ToArray(),
            g.Nodes.Where(n => g.Sources.All(s => s.Conv.Name != n)).ToArray(), g.Prunable, g.WhyNot))
        .ToArray();

    public static void Write(IReadOnlyList<ChannelGroupReport> groups, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine("channel groups (pruning selects a group by its name or any of its members):");
        var rows = new List<string[]> { new[] { "group", "channels", "convs", "prunable", "other members" } };
        rows.AddRange(groups.Select(g => new[]
        {
            g.Name, g.Channels.ToString(), string.Join(", ", g.Convs), g.Prunable ? "yes" : $"no: {g.WhyNot}", string.Join(", ", g.Nodes),
        }));
        TextTable.Write(rows, output);
    }
}
