using AudioPrune.Graph;
using AudioPrune.Graph.Nodes;

namespace AudioPrune.Pruning.Dependency;

/// <summary>
/// What the rules declare while the graph is analysed: units that must go together (a union-find over every
/// tensor's axis-0 units), parameters whose axis follows a tensor's units, convs whose filters score a tensor's
/// channels, and tensors that must keep every unit (with the reason). Tensors are named as node inputs are: a
/// node's name for its output, <see cref="NetworkGraph.InputName"/> for the network input.
/// </summary>
internal sealed class ChannelCoupling
{
    private readonly Dictionary<string, int> offsets = new(StringComparer.Ordinal);
    private readonly List<string> tensors = [];
    private readonly List<int> starts = [];
    private readonly List<int> parent = [];
    private readonly List<(int Unit, string Reason)> blocks = [];
    private ILookup<int, (int Index, string Reason)>? blocksByRoot;
    private readonly List<ParameterSlice> slices = [];
    private readonly List<(string Tensor, Conv2dNode Conv)> sources = [];

    public ChannelCoupling(NetworkGraph graph)
    {
        Graph = graph;
        AddTensor(NetworkGraph.InputName);
        foreach (var node in graph.Nodes) AddTensor(node.Name);
    }

    public NetworkGraph Graph { get; }

    public Shape ShapeOf(string tensor) => Graph.ShapeOf(tensor);

    /// <summary>Units on axis 0 of a tensor.</summary>
    public int Units(string tensor) => ShapeOf(tensor)[0];

    /// <summary>Unit <paramref name="unitA"/> of tensor A and unit <paramref name="unitB"/> of tensor B go together.</summary>
    public void Tie(string a, int unitA, string b, int unitB) => Union(Unit(a, unitA), Unit(b, unitB));

    /// <summary>Ties <paramref name="count"/> consecutive units of A and B from the given offsets.</summary>
    public void TieRange(string a, int offsetA, string b, int offsetB, int count)
    {
        var valid = Math.Min(Inside(a, offsetA, count), Inside(b, offsetB, count));
        var (unitA, unitB) = (offsets[a] + offsetA, offsets[b] + offsetB);
        for (var k = 0; k < valid; k++) Union(unitA + k, unitB + k);
        if (valid < count) Tie(a, offsetA + valid, b, offsetB + valid); // throws, naming the first unit the tensor lacks
    }

    /// <summary>How many of the units offset, offset + 1, ..., offset + count - 1 the tensor has before the first it lacks.</summary>
    private int Inside(string tensor, int offset, int count) => offset < 0 ? 0 : Math.Clamp(Units(tensor) - offset, 0, Math.Max(count, 0));

    /// <summary>Unit i of A is unit i of B, for every unit (the tensors have equal unit counts).</summary>
    public void TieAll(string a, string b) => TieRange(a, 0, b, 0, Units(a));

    /// <summary>Every unit of the tensor must stay; a group that holds one of them cannot be pruned.</summary>
    public void Block(string tensor, string reason)
    {
        var units = Units(tensor);
        var first = offsets[tensor];
        for (var u = 0; u < units; u++) blocks.Add((first + u, reason));
    }

    /// <summary>Axis <paramref name="axis"/> of the parameter follows the tensor's units.</summary>
    public void Slice(string tensor, string parameter, int axis) => slices.Add(new ParameterSlice(tensor, parameter, axis));

    /// <summary>The conv's filters (weight rows) produce the tensor's units and score them.</summary>
    public void ScoredBy(string tensor, Conv2dNode conv) => sources.Add((tensor, conv));

    internal IReadOnlyList<string> Tensors => tensors;
    internal IReadOnlyList<ParameterSlice> Slices => slices;
    internal IReadOnlyList<(string Tensor, Conv2dNode Conv)> Sources => sources;
    /// <summary>Why the components with these roots cannot be pruned, in the order the blocks were declared.</summary>
    internal List<string> BlockReasons(IReadOnlySet<int> roots)
    {
        blocksByRoot ??= blocks.Select((b, i) => (Root: Root(b.Unit), Index: i, b.Reason)).ToLookup(b => b.Root, b => (b.Index, b.Reason));
        return roots.SelectMany(r => blocksByRoot[r]).OrderBy(b => b.Index).Select(b => b.Reason).Distinct().ToList();
    }
    internal int UnitCount => parent.Count;
    internal int OffsetOf(string tensor) => offsets[tensor];

    /// <summary>For every unit, the index (in <see cref="Tensors"/>) of the tensor it belongs to.</summary>
    internal int[] TensorIndices()
    {
        var tensorOf = new int[parent.Count];
        for (var t = 0; t < starts.Count; t++)
        {
            var end = t + 1 < starts.Count ? starts[t + 1] : parent.Count;
            tensorOf.AsSpan(starts[t], end - starts[t]).Fill(t);
        }
        return tensorOf;
    }

    internal int Root(int unit)
    {
        while (parent[unit] != unit)
        {
            parent[unit] = parent[parent[unit]];
            unit = parent[unit];
        }
        return unit;
    }

    private int Unit(string tensor, int unit)
    {
        if (unit < 0 || unit >= Units(tensor))
            throw new InvalidOperationException($"tensor '{tensor}' has no unit {unit} (it has {Units(tensor)})");
        return offsets[tensor] + unit;
    }

    private void Union(int a, int b)
    {
        var (ra, rb) = (Root(a), Root(b));
        if (ra != rb) parent[Math.Max(ra, rb)] = Math.Min(ra, rb);
    }

    private void AddTensor(string name)
    {
        offsets[name] = parent.Count;
        starts.Add(parent.Count);
        tensors.Add(name);
        for (var u = 0; u < Units(name); u++) parent.Add(parent.Count);
    }
}
