namespace AudioPrune.Graph;

/// <summary>One row of the complexity table.</summary>
internal sealed record LayerComplexity(
    string Name, string Op, Shape OutputShape, long ParamsTotal, long ParamsTrainable, long Macs, long OutputBytes);

/// <summary>
/// Parameters, multiply-accumulates and memory of a graph for one example, by the project's conventions:
/// MACs count conv and linear multiply-accumulates only (no batch norm, activation, pooling or audio front end);
/// total parameters include batch-norm running statistics, trainable ones do not; bytes are for float32
/// activations at batch 1.
/// </summary>
internal sealed record ComplexityReport(
    string Model, Shape Input, IReadOnlyList<LayerComplexity> Layers,
    long ParamsTotal, long ParamsTrainable, long Macs, long PeakActivationBytes)
{
    public const string MacConvention =
        "MACs: multiply-accumulates of conv and linear layers for one example (batch norm, activations, pooling and the audio front end not counted).";
    public const string ParameterConvention =
        "Parameters: total includes batch-norm running mean and variance; trainable excludes them.";

    public long BytesFp32 => ParamsTotal * 4;
    public long BytesFp16 => ParamsTotal * 2;
    public long BytesInt8 => ParamsTotal;

    public static ComplexityReport Of(NetworkGraph graph)
    {
        var layers = graph.Nodes.Select(node =>
        {
            var output = graph.ShapeOf(node.Name);
            var total = node.Parameters.Sum(p => p.Elements);
            var trainable = node.Parameters.Where(p => p.Trainable).Sum(p => p.Elements);
            return new LayerComplexity(node.Name, node.Op, output, total, trainable,
                node.Macs(graph.InputShapesOf(node), output), output.Elements * sizeof(float));
        }).ToArray();
        return new ComplexityReport(graph.Name, graph.Input, layers,
            layers.Sum(l => l.ParamsTotal), layers.Sum(l => l.ParamsTrainable), layers.Sum(l => l.Macs),
            PeakLiveActivationBytes(graph));
    }

    /// <summary>
    /// The largest sum of live activations while any node runs: its inputs, its output and every earlier
    /// output that a later node still reads (the graph input included), float32, batch 1.
    /// </summary>
    private static long PeakLiveActivationBytes(NetworkGraph graph)
    {
        var lastUse = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < graph.Nodes.Count; i++)
        {
            foreach (var input in graph.Nodes[i].Inputs) lastUse[input] = i;
        }
        lastUse[graph.Output.Name] = graph.Nodes.Count;
        long Bytes(string name) => graph.ShapeOf(name).Elements * sizeof(float);

        var live = new HashSet<string>(StringComparer.Ordinal) { NetworkGraph.InputName };
        long peak = 0;
        for (var i = 0; i < graph.Nodes.Count; i++)
        {
            var node = graph.Nodes[i];
            live.Add(node.Name);
            peak = Math.Max(peak, live.Sum(Bytes));
            live.RemoveWhere(name => lastUse.GetValueOrDefault(name, -1) <= i);
        }
        return peak;
    }
}
