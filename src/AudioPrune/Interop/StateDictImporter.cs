using System.Text.Json;
using AudioPrune.Common;
using AudioPrune.Graph;
using AudioPrune.Graph.Nodes;
using AudioPrune.Interop.PyTorch;

namespace AudioPrune.Interop;

/// <summary>
/// Imports PyTorch-named weights (a torch.save state_dict .pt/.pth, or any plain .safetensors file) into an
/// AudioPrune model, against a graph the user names. Missing, unexpected and mis-shaped tensors are all
/// reported in one message before anything is written. A state_dict holds no batch-norm eps: the graph's is used
/// unless the caller sets one.
/// </summary>
internal static class StateDictImporter
{
    public static readonly string[] Extensions = [".pt", ".pth", ".bin", ".safetensors"];

    /// <summary>The eps of PyTorch's nn.BatchNorm1d and nn.BatchNorm2d when the network's code gives none.</summary>
    public const double PyTorchBatchNormEpsilon = 1e-5;

    /// <param name="stripPrefix">A prefix every tensor name carries and the graph's do not ("module." from DataParallel).</param>
    /// <param name="batchNormEpsilon">The eps every batch norm gets (--bn-eps); null keeps the graph's.</param>
    public static ModelArtifact Import(string weightsPath, GraphSource.Resolved graph, string? stripPrefix = null, double? batchNormEpsilon = null)
    {
        var network = batchNormEpsilon is { } eps ? WithBatchNormEpsilon(graph.Graph, eps) : graph.Graph;
        var weights = ReadWeights(weightsPath);
        if (!string.IsNullOrEmpty(stripPrefix)) weights = WithoutPrefix(weights, stripPrefix, weightsPath);
        var mismatch = weights.CompareWith(network);
        if (!mismatch.IsEmpty)
            throw UserInputException.InFile(weightsPath, $"tensors do not match graph '{network.Name}': {mismatch}{PrefixHint(weights, network)}");
        weights.EnsureMatches(network, weightsPath);
        var metadata = new Dictionary<string, string>(graph.Metadata)
        {
            [ModelArtifact.ProvenanceKey] = JsonSerializer.Serialize(new Dictionary<string, string>
            {
                ["imported_from"] = Path.GetFileName(weightsPath),
                ["format"] = IsSafetensors(weightsPath) ? "safetensors-state-dict" : "pytorch-state-dict",
            }),
        };
        return ModelArtifact.Create(network, weights, graph.Labels, metadata);
    }

    /// <summary>The graph with every batch norm's eps set to <paramref name="epsilon"/>; a graph without batch norm is refused, as the setting would do nothing.</summary>
    public static NetworkGraph WithBatchNormEpsilon(NetworkGraph graph, double epsilon)
    {
        var norms = graph.NodesOf<BatchNormNode>().ToDictionary(b => b.Name, Node (b) => b with { Epsilon = epsilon });
        if (norms.Count == 0) throw new UserInputException($"{{@BnEps}}: graph '{graph.Name}' has no batch norm");
        return graph.WithNodes(norms);
    }

    /// <summary>The file's tensors by name (num_batches_tracked dropped), whichever of the two formats it is.</summary>
    public static WeightMap ReadWeights(string path)
    {
        if (!File.Exists(path)) throw UserInputException.InFile(path, "file not found");
        if (!IsSafetensors(path)) return PyTorchStateDictFile.Read(path);
        var tensors = SafetensorsFile.Read(path).Tensors;
        return new WeightMap(tensors.Entries.Where(e => !e.Key.EndsWith(PyTorchStateDictFile.BatchCounterSuffix, StringComparison.Ordinal)));
    }

    private static WeightMap WithoutPrefix(WeightMap weights, string prefix, string path)
    {
        var without = weights.Names.Where(n => !n.StartsWith(prefix, StringComparison.Ordinal)).ToArray();
        if (without.Length > 0)
            throw UserInputException.InFile(path, $"{{@StripPrefix}} '{prefix}': {without.Length} tensor name(s) do not start with it, e.g. '{without[0]}'");
        return Stripped(weights, prefix);
    }

    private static WeightMap Stripped(WeightMap weights, string prefix) =>
        new(weights.Entries.Select(e => new KeyValuePair<string, TensorData>(e.Key[prefix.Length..], e.Value)));

    /// <summary>When every name starts with one extra first segment ("module.") and the rest would match, says so.</summary>
    private static string PrefixHint(WeightMap weights, NetworkGraph graph)
    {
        var first = weights.Names.FirstOrDefault();
        var dot = first?.IndexOf('.') ?? -1;
        if (first is null || dot <= 0) return "";
        var prefix = first[..(dot + 1)];
        if (!weights.Names.All(n => n.StartsWith(prefix, StringComparison.Ordinal))) return "";
        return Stripped(weights, prefix).CompareWith(graph).IsEmpty ? $" (every name starts with '{prefix}': add {{@StripPrefix}} {prefix})" : "";
    }

    private static bool IsSafetensors(string path) => path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase);
}
