using AudioPrune.Graph;

namespace AudioPrune.Benchmarking;

/// <summary>
/// A graph cut into stages for a time breakdown: a stage starts at each layer that does multiply-adds (convolution,
/// linear) and holds the layers after it up to the next such layer (batch norm, activation, pooling, flatten).
/// Layers before the first one join the first stage. A pruned network keeps its parent's layer names, so the two
/// profiles line up stage by stage.
/// </summary>
internal sealed class GraphStages
{
    private readonly Dictionary<string, string> stageOfLayer = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> macs;
    private readonly string[] layersInOrder;
    private readonly string[] layersLongestFirst;

    private GraphStages(NetworkGraph graph)
    {
        macs = ComplexityReport.Of(graph).Layers.ToDictionary(l => l.Name, l => l.Macs, StringComparer.Ordinal);
        layersInOrder = graph.Nodes.Select(n => n.Name).ToArray();
        var starts = graph.Nodes.Where(n => macs[n.Name] > 0).Select(n => n.Name).DefaultIfEmpty(graph.Nodes[0].Name).ToArray();
        var stage = starts[0];
        foreach (var node in graph.Nodes)
        {
            if (macs[node.Name] > 0) stage = node.Name;
            stageOfLayer[node.Name] = stage;
        }
        Names = starts;
        layersLongestFirst = stageOfLayer.Keys.OrderByDescending(n => n.Length).ToArray();
    }

    public static GraphStages Of(NetworkGraph graph) => new(graph);

    /// <summary>Stage names in the order the network runs them: the name of each stage's first layer.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The stage of one of the graph's layers.</summary>
    public string OfLayer(string layer) => stageOfLayer[layer];

    /// <summary>The layers of one stage, in graph order.</summary>
    public IReadOnlyList<string> LayersOf(string stage) => layersInOrder.Where(layer => stageOfLayer[layer] == stage).ToArray();

    /// <summary>A stage's MACs for one example, by the project's convention (<see cref="ComplexityReport"/>).</summary>
    public long MacsOf(string stage) => LayersOf(stage).Sum(layer => macs[layer]);

    /// <summary>
    /// The graph layer a runtime node was written for, or null for nodes the runtime added itself (layout
    /// conversions). The exporter names each node after its layer, or the layer and a suffix after '_'; runtimes
    /// keep that name through their rewrites and add to it ("relu1_nchwc", "fused fc1").
    /// </summary>
    public string? LayerOf(string runtimeNode)
    {
        foreach (var name in new[] { runtimeNode, StripPrefix(runtimeNode, "fused ") })
        {
            var layer = layersLongestFirst.FirstOrDefault(l => name == l || name.StartsWith(l + "_", StringComparison.Ordinal));
            if (layer is not null) return layer;
        }
        return null;
    }

    private static string StripPrefix(string name, string prefix) =>
        name.StartsWith(prefix, StringComparison.Ordinal) ? name[prefix.Length..] : name;
}
