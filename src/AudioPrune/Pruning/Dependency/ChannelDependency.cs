using AudioPrune.Graph;

namespace AudioPrune.Pruning.Dependency;

/// <summary>
/// Finds a network's coupled channel groups: every node's rule ties units together, the network input and output
/// are blocked, and the connected units are gathered into groups of units that touch the same tensors.
/// </summary>
internal static class ChannelDependency
{
    public static ChannelGroups Analyse(NetworkGraph graph, ChannelRules? rules = null)
    {
        rules ??= ChannelRules.Default;
        var coupling = new ChannelCoupling(graph);
        foreach (var node in graph.Nodes) rules.For(node).Couple(node, coupling);
        coupling.Block(NetworkGraph.InputName, "it is the network input");
        coupling.Block(graph.Output.Name, $"it reaches the network output ('{graph.Output.Name}')");
        var tensorOf = coupling.TensorIndices();
        var groups = Components(coupling)
            .GroupBy(c => Signature(tensorOf, c), SignatureComparer.Instance)
            .Select(g => Build(coupling, tensorOf, g.ToList()))
            .ToList();
        return new ChannelGroups(graph, Named(groups), rules);
    }

    /// <summary>
    /// Connected units, each ascending; components in the order of their first unit. A root is its component's
    /// smallest unit (unions keep the smaller root), so it is met before every other unit of its component.
    /// </summary>
    private static List<List<int>> Components(ChannelCoupling coupling)
    {
        var components = new List<List<int>>();
        var slot = new int[coupling.UnitCount];
        for (var u = 0; u < coupling.UnitCount; u++)
        {
            var root = coupling.Root(u);
            if (root == u)
            {
                slot[u] = components.Count;
                components.Add([u]);
            }
            else components[slot[root]].Add(u);
        }
        return components;
    }

    /// <summary>The tensors a component touches, each as often as it touches it (as tensor indices, in unit order).</summary>
    private static int[] Signature(int[] tensorOf, List<int> component)
    {
        var signature = new int[component.Count];
        for (var k = 0; k < signature.Length; k++) signature[k] = tensorOf[component[k]];
        return signature;
    }

    /// <summary>
    /// Components with one signature form a group. A tensor's units are consecutive, and a component is ascending,
    /// so each tensor's units sit at the same run of positions in every component of the group.
    /// </summary>
    private static ChannelGroup Build(ChannelCoupling coupling, int[] tensorOf, List<List<int>> components)
    {
        var runs = Runs(coupling, tensorOf, components[0]);
        var tensors = runs.Select(r => r.Tensor).ToArray();
        var touched = tensors.ToHashSet(StringComparer.Ordinal);
        var sources = coupling.Sources.Where(s => touched.Contains(s.Tensor)).ToArray();
        var naming = runs.First(r => r.Tensor == (sources.Length > 0 ? sources[0].Tensor : tensors[0]));
        var ordered = components.OrderBy(c => c[naming.Start]).ToList();
        var members = runs.Select(r => new GroupTensor(r.Tensor, ordered.Select(c => UnitsIn(c, r)).ToArray())).ToArray();
        IReadOnlySet<int> roots = ordered.Select(c => coupling.Root(c[0])).ToHashSet();
        var blockers = coupling.BlockReasons(roots);
        var groupSources = new List<GroupSource>();
        foreach (var (tensor, conv) in sources)
        {
            var units = members.First(m => m.Tensor == tensor).Units;
            if (units.Any(u => u.Length != 1)) blockers.Add($"conv '{conv.Name}' has several filters tied to one channel");
            groupSources.Add(new GroupSource(conv, units.Select(u => u[0]).ToArray()));
        }
        var parameters = coupling.Slices.Where(s => touched.Contains(s.Tensor)).ToArray();
        var name = sources.Length > 0 ? sources[0].Conv.Name : naming.Tensor;
        return new ChannelGroup(name, ordered.Count, members, groupSources, parameters, blockers);
    }

    /// <summary>Where a tensor's units sit in a component: positions Start..Start+Length-1, the tensor's own units from Offset.</summary>
    private readonly record struct Run(string Tensor, int Offset, int Start, int Length);

    /// <summary>The component's runs of units by tensor, in the order the tensors are first touched.</summary>
    private static List<Run> Runs(ChannelCoupling coupling, int[] tensorOf, List<int> component)
    {
        var runs = new List<Run>();
        for (var start = 0; start < component.Count;)
        {
            var tensor = tensorOf[component[start]];
            var end = start + 1;
            while (end < component.Count && tensorOf[component[end]] == tensor) end++;
            var name = coupling.Tensors[tensor];
            runs.Add(new Run(name, coupling.OffsetOf(name), start, end - start));
            start = end;
        }
        return runs;
    }

    private static int[] UnitsIn(List<int> component, Run run)
    {
        var units = new int[run.Length];
        for (var k = 0; k < units.Length; k++) units[k] = component[run.Start + k] - run.Offset;
        return units;
    }

    /// <summary>Groups that share a naming conv (a conv split by a concat or slice) get ":first channel" after all but the first.</summary>
    private static List<ChannelGroup> Named(List<ChannelGroup> groups)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return groups.Select(g => seen.Add(g.Name) ? g : g with { Name = $"{g.Name}:{g.Tensors.First(t => t.Tensor == g.Name).Units[0][0]}" }).ToList();
    }

    private sealed class SignatureComparer : IEqualityComparer<int[]>
    {
        public static readonly SignatureComparer Instance = new();

        public bool Equals(int[]? x, int[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(int[] signature)
        {
            var hash = new HashCode();
            hash.AddBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(signature.AsSpan()));
            return hash.ToHashCode();
        }
    }
}
