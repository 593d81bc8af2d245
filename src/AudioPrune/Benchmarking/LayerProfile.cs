using AudioPrune.Graph;

namespace AudioPrune.Benchmarking;

/// <summary>One runtime node (after the runtime's own rewrites): its op, its stage, its median kernel time.</summary>
internal sealed record NodeTime(string Node, string Op, string Stage, double MedianMs);

/// <summary>
/// One stage of the network (see <see cref="GraphStages"/>): its MACs, the multiply-adds the engine executes for
/// them, and the sum of its nodes' median kernel times.
/// </summary>
internal sealed record StageTime(string Stage, long Macs, long ExecutedMacs, double MedianMs);

/// <summary>
/// Where one run's time goes, from the runtime's profiler: per node and per stage, medians over the profiled runs.
/// Time outside the kernels (the session's own work per run) is in no stage, so <see cref="KernelMs"/> is below the
/// run's wall-clock time; the profiler's own cost is in neither.
/// </summary>
internal sealed record LayerProfile(int Runs, IReadOnlyList<StageTime> Stages, IReadOnlyList<NodeTime> Nodes)
{
    public double KernelMs => Stages.Sum(s => s.MedianMs);

    /// <summary>
    /// Builds the profile of <paramref name="graph"/> from its runtime nodes' times, leaving out each node's first
    /// <paramref name="warmup"/> runs. A node the runtime added itself joins the stage of the node before it.
    /// </summary>
    public static LayerProfile From(IReadOnlyList<NodeRuns> nodes, int warmup, NetworkGraph graph, Func<Node, long> executedMacs)
    {
        var stages = GraphStages.Of(graph);
        var stage = stages.Names[0];
        var times = new List<NodeTime>();
        var runs = int.MaxValue;
        foreach (var node in nodes)
        {
            var timed = node.Milliseconds.Skip(warmup).ToArray();
            if (timed.Length == 0) throw new ArgumentException($"node '{node.Node}' ran no more than the {warmup} warm-up runs");
            runs = Math.Min(runs, timed.Length);
            if (stages.LayerOf(node.Node) is { } layer) stage = stages.OfLayer(layer);
            times.Add(new NodeTime(node.Node, node.Op, stage, LatencyStats.From(timed).MedianMs));
        }
        var rows = stages.Names.Select(name => new StageTime(name, stages.MacsOf(name),
            stages.LayersOf(name).Sum(layer => executedMacs(graph[layer])),
            times.Where(t => t.Stage == name).Sum(t => t.MedianMs))).ToArray();
        return new LayerProfile(runs, rows, times);
    }
}
