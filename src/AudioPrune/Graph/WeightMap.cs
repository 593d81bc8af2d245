using AudioPrune.Common;

namespace AudioPrune.Graph;

/// <summary>
/// The weights of a network by full parameter name ("conv1.weight", "bn1.running_var"), in graph order.
/// Kept apart from the graph so that pruning, import and export work on plain arrays.
/// </summary>
internal sealed class WeightMap
{
    private readonly Dictionary<string, TensorData> tensors;
    private readonly List<string> order;

    public WeightMap() : this([]) { }

    public WeightMap(IEnumerable<KeyValuePair<string, TensorData>> entries)
    {
        tensors = new Dictionary<string, TensorData>(StringComparer.Ordinal);
        order = [];
        foreach (var (name, tensor) in entries) this[name] = tensor;
    }

    public TensorData this[string name]
    {
        get => tensors.TryGetValue(name, out var t) ? t : throw new KeyNotFoundException($"no weight tensor '{name}'");
        set
        {
            if (!tensors.ContainsKey(name)) order.Add(name);
            tensors[name] = value;
        }
    }

    public int Count => tensors.Count;
    public IReadOnlyList<string> Names => order;
    public IEnumerable<KeyValuePair<string, TensorData>> Entries => order.Select(n => new KeyValuePair<string, TensorData>(n, tensors[n]));
    public bool Contains(string name) => tensors.ContainsKey(name);
    public bool TryGet(string name, out TensorData tensor) => tensors.TryGetValue(name, out tensor!);

    public WeightMap Clone() => new(Entries.Select(e => new KeyValuePair<string, TensorData>(e.Key, e.Value.Clone())));

    /// <summary>What the weights lack or have extra compared with the graph's parameters, and shape mismatches.</summary>
    public WeightMismatch CompareWith(NetworkGraph graph)
    {
        var expected = graph.ParameterTensors.ToDictionary(p => p.Name, p => p.Spec.Shape);
        var missing = expected.Keys.Where(k => !tensors.ContainsKey(k)).ToArray();
        var unexpected = order.Where(k => !expected.ContainsKey(k)).ToArray();
        var misShaped = expected
            .Where(e => tensors.TryGetValue(e.Key, out var t) && !t.ShapeEquals(e.Value))
            .Select(e => $"{e.Key}: expected [{string.Join(", ", e.Value)}], got {tensors[e.Key].ShapeText}")
            .ToArray();
        return new WeightMismatch(missing, unexpected, misShaped);
    }

    /// <summary>
    /// Throws a <see cref="UserInputException"/> (naming <paramref name="source"/>) unless the weights match the
    /// graph exactly and hold only finite values, with no negative batch-norm running variance (running statistics
    /// are checked like every other tensor).
    /// </summary>
    public void EnsureMatches(NetworkGraph graph, string source)
    {
        var mismatch = CompareWith(graph);
        if (!mismatch.IsEmpty) throw UserInputException.InFile(source, $"weights do not match graph '{graph.Name}': {mismatch}");
        foreach (var name in order)
        {
            var bad = tensors[name].FirstNonFinite();
            if (bad >= 0)
                throw UserInputException.InFile(source, $"tensor '{name}' holds a non-finite value ({tensors[name].Data[bad]}) at element {bad}");
            if (name.EndsWith(".running_var", StringComparison.Ordinal) && Array.FindIndex(tensors[name].Data, v => v < 0) is var negative and >= 0)
                throw UserInputException.InFile(source, $"tensor '{name}' holds a negative running variance ({tensors[name].Data[negative]}) at element {negative}");
        }
    }

    /// <summary>Weights ordered as the graph's parameters (drops nothing; validates nothing).</summary>
    public WeightMap OrderedLike(NetworkGraph graph)
    {
        var ordered = new WeightMap();
        foreach (var (name, _, _) in graph.ParameterTensors)
        {
            if (tensors.TryGetValue(name, out var t)) ordered[name] = t;
        }
        foreach (var name in order.Where(n => !ordered.Contains(n))) ordered[name] = tensors[name];
        return ordered;
    }
}

internal sealed record WeightMismatch(string[] Missing, string[] Unexpected, string[] MisShaped)
{
    public bool IsEmpty => Missing.Length == 0 && Unexpected.Length == 0 && MisShaped.Length == 0;

    public override string ToString()
    {
        var parts = new List<string>();
        if (Missing.Length > 0) parts.Add($"missing {Join(Missing)}");
        if (Unexpected.Length > 0) parts.Add($"unexpected {Join(Unexpected)}");
        if (MisShaped.Length > 0) parts.Add($"mis-shaped {Join(MisShaped)}");
        return parts.Count == 0 ? "none" : string.Join("; ", parts);
    }

    private static string Join(string[] items) =>
        items.Length <= 6 ? string.Join(", ", items) : $"{string.Join(", ", items.Take(6))} and {items.Length - 6} more";
}
