using AudioPrune.Graph;

namespace AudioPrune.Pruning.Dependency;

/// <summary>
/// Finds a network's coupled channel groups: every node's rule ties units together, the network input and output
/// are blocked, and the connected units are gathered into groups of units that touch the same tensors.
/// </summary>
public static class ChannelDependency
{
    public static ChannelGroups Analyse(NetworkGraph graph, ChannelRules? rules = null)
    {
        rules ??= ChannelRules.Default;
        var coupling = new ChannelCoupling(graph);
        foreach (var node in graph.Nodes) rules.For(node).Couple(node, coupling);
        coupling.Block(NetworkGraph.InputName, "it is the network input");
        coupling.Block(graph.Output.Name, $"it reaches the network output ('{graph.Output.Name}')");
        var groups = Components(coupling)
            .GroupBy(c => Signature(coupling, c))
            .Select(g => Build(coupling, g.ToList()))
            .ToList();
        return new ChannelGroups(graph, Named(groups), rules);
    }

    /// <summary>Connected units, each ascending; components in the order of their first unit.</summary>
    private static IEnumerable<int[]> Components(ChannelCoupling coupling)
    {
        var byRoot = new Dictionary<int, List<int>>();
        for (var u = 0; u < coupling.UnitCount; u++)
        {
            var root = coupling.Root(u);
            if (!byRoot.TryGetValue(root, out var list)) byRoot[root] = list = [];
            list.Add(u);
        }
        return byRoot.OrderBy(p => p.Key).Select(p => p.Value.ToArray());
    }

    /// <summary>The tensors a component touches, each as often as it touches it.</summary>
    private static string Signature(ChannelCoupling coupling, int[] component) =>
        string.Join(',', component.Select(u => TensorOf(coupling, u)));

    private static int TensorOf(ChannelCoupling coupling, int unit) => coupling.TensorIndexOf(unit);

    private static ChannelGroup Build(ChannelCoupling coupling, List<int[]> components)
    {
        var tensors = components[0].Select(u => coupling.Tensors[TensorOf(coupling, u)]).Distinct().ToArray();
        var sources = coupling.Sources.Where(s => tensors.Contains(s.Tensor)).ToArray();
        var naming = sources.Length > 0 ? sources[0].Tensor : tensors[0];
        var ordered = components.OrderBy(c => UnitsIn(coupling, c, naming)[0]).ToList();
        var members = tensors.Select(t => new GroupTensor(t, ordered.Select(c => UnitsIn(coupling, c, t)).ToArray())).ToArray();
        IReadOnlySet<int> roots = ordered.Select(c => coupling.Root(c[0])).ToHashSet();
        var blockers = coupling.BlockReasons(roots);
        var groupSources = new List<GroupSource>();
        foreach (var (tensor, conv) in sources)
        {
            var units = members.First(m => m.Tensor == tensor).Units;
            if (units.Any(u => u.Length != 1)) blockers.Add($"conv '{conv.Name}' has several filters tied to one channel");
            groupSources.Add(new GroupSource(conv, units.Select(u => u[0]).ToArray()));
        }
        var parameters = coupling.Slices.Where(s => tensors.Contains(s.Tensor)).ToArray();
        var name = sources.Length > 0 ? sources[0].Conv.Name : naming;
        return new ChannelGroup(name, ordered.Count, members, groupSources, parameters, blockers);
    }

    private static int[] UnitsIn(ChannelCoupling coupling, int[] component, string tensor)
    {
        var offset = coupling.OffsetOf(tensor);
        var units = coupling.Units(tensor);
        return component.Where(u => u >= offset && u < offset + units).Select(u => u - offset).ToArray();
    }

    /// <summary>Groups that share a naming conv (a conv split by a concat or slice) get ":first channel" after all but the first.</summary>
    private static List<ChannelGroup> Named(List<ChannelGroup> groups)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return groups.Select(g => seen.Add(g.Name) ? g : g with { Name = $"{g.Name}:{g.Tensors.First(t => t.Tensor == g.Name).Units[0][0]}" }).ToList();
    }
}
