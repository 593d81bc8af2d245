using System.Text.Json;
using AudioPrune.Common;

namespace AudioPrune.Benchmarking;

/// <summary>One node's kernel times in an ONNX Runtime profile, one per run, in milliseconds.</summary>
internal sealed record NodeRuns(string Node, string Op, IReadOnlyList<double> Milliseconds);

/// <summary>
/// Reads the JSON trace an ONNX Runtime session writes with profiling on: a list of Chrome trace events, of which
/// those of category "Node" named "NODE_kernel_time" time one node's kernel in one run (microseconds, "dur").
/// Nodes come in the order they first ran, which for the sequential executor is the order they run in.
/// </summary>
internal static class OnnxRuntimeTrace
{
    private const string KernelSuffix = "_kernel_time";

    public static IReadOnlyList<NodeRuns> Read(string path)
    {
        using var stream = File.OpenRead(path);
        using var trace = JsonDocument.Parse(stream);
        var nodes = new Dictionary<string, (string Op, List<double> Runs)>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var e in trace.RootElement.EnumerateArray())
        {
            if (!e.TryGetProperty("cat", out var category) || category.GetString() != "Node") continue;
            var name = e.GetProperty("name").GetString()!;
            if (!name.EndsWith(KernelSuffix, StringComparison.Ordinal)) continue;
            var node = name[..^KernelSuffix.Length];
            if (!nodes.TryGetValue(node, out var entry))
            {
                var op = e.TryGetProperty("args", out var args) && args.TryGetProperty("op_name", out var o) ? o.GetString() ?? "" : "";
                nodes[node] = entry = (op, []);
                order.Add(node);
            }
            entry.Runs.Add(e.GetProperty("dur").GetDouble() / 1000.0);
        }
        if (order.Count == 0) throw UserInputException.InFile(path, "the ONNX Runtime profile has no node timings");
        return order.Select(n => new NodeRuns(n, nodes[n].Op, nodes[n].Runs)).ToArray();
    }
}
