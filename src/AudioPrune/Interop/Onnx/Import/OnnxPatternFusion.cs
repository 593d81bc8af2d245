using Onnx;

namespace AudioPrune.Interop.Onnx.Import;

/// <summary>
/// Rewrites the activations PyTorch exports as several nodes into one node each, before conversion:
/// x * Sigmoid(x) into SiLU, x * HardSigmoid(x; 1/6, 1/2) into HardSwish, and
/// Mul(Mul(x, Add(Erf(Div(x, sqrt 2)), 1)), 0.5) into Gelu. A chain is fused only when its inner results have no other
/// reader; the fused node takes the name and output of the chain's last node.
/// </summary>
internal sealed class OnnxPatternFusion
{
    /// <summary>The op type of a fused SiLU, which ONNX has no operator for.</summary>
    public const string Silu = "audioprune.Silu";

    public static readonly HashSet<string> InternalOps = new(StringComparer.Ordinal) { Silu };

    /// <summary>Op types supported only inside a fused pattern.</summary>
    public static readonly HashSet<string> PatternOps = new(StringComparer.Ordinal) { "Erf" };

    private readonly Dictionary<string, NodeProto> producers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> readers = new(StringComparer.Ordinal);
    private readonly Func<string, double?> scalar;
    private readonly HashSet<NodeProto> removed = [];

    private OnnxPatternFusion(IReadOnlyList<NodeProto> nodes, IEnumerable<string> graphOutputs, Func<string, double?> scalar)
    {
        this.scalar = scalar;
        foreach (var node in nodes)
        {
            foreach (var output in node.Output) producers[output] = node;
            foreach (var input in node.Input) readers[input] = readers.GetValueOrDefault(input) + 1;
        }
        foreach (var output in graphOutputs) readers[output] = readers.GetValueOrDefault(output) + 1;
    }

    public static List<NodeProto> Fuse(IReadOnlyList<NodeProto> nodes, IEnumerable<string> graphOutputs, Func<string, double?> scalar)
    {
        var fusion = new OnnxPatternFusion(nodes, graphOutputs, scalar);
        var rewritten = nodes.Select(n => n.OpType == "Mul" ? fusion.TryFuse(n) ?? n : n).ToList();
        return rewritten.Where(n => !fusion.removed.Contains(n)).ToList();
    }

    private NodeProto? TryFuse(NodeProto mul) => Gated(mul, "Sigmoid", Silu, _ => true)
        ?? Gated(mul, "HardSigmoid", "HardSwish", IsHardSwishGate)
        ?? Gelu(mul);

    private static bool IsHardSwishGate(NodeProto gate) =>
        Near(gate.Float("alpha", 0.2), 1.0 / 6) && Near(gate.Float("beta", 0.5), 0.5);

    /// <summary>Mul(x, gate(x)) in either order.</summary>
    private NodeProto? Gated(NodeProto mul, string gateOp, string fusedOp, Func<NodeProto, bool> accepts)
    {
        foreach (var (x, g) in Orders(mul))
        {
            if (Inner(g, gateOp) is { } gate && gate.Input[0] == x && accepts(gate)) return Fused(mul, fusedOp, x, gate);
        }
        return null;
    }

    private NodeProto? Gelu(NodeProto outer)
    {
        foreach (var (m, half) in Orders(outer))
        {
            if (!Is(half, 0.5) || Inner(m, "Mul") is not { } product) continue;
            foreach (var (x, a) in Orders(product))
            {
                if (Inner(a, "Add") is not { } add) continue;
                var erfInput = Orders(add).Where(o => Is(o.Second, 1)).Select(o => Inner(o.First, "Erf")).FirstOrDefault(e => e is not null);
                if (erfInput is null || Inner(erfInput.Input[0], "Div") is not { } div) continue;
                if (div.Input[0] == x && Is(div.Input[1], Math.Sqrt(2))) return Fused(outer, "Gelu", x, product, add, erfInput, div);
            }
        }
        return null;
    }

    /// <summary>The node writing <paramref name="tensor"/> when it is of <paramref name="op"/>, has one output and this single reader.</summary>
    private NodeProto? Inner(string tensor, string op) =>
        producers.TryGetValue(tensor, out var node) && node.OpType == op && node.Output.Count == 1 && readers.GetValueOrDefault(tensor) == 1 && !removed.Contains(node)
            ? node : null;

    private static IEnumerable<(string First, string Second)> Orders(NodeProto binary) =>
        binary.Input.Count == 2 ? [(binary.Input[0], binary.Input[1]), (binary.Input[1], binary.Input[0])] : [];

    private bool Is(string tensor, double value) => scalar(tensor) is { } v && Near(v, value);

    private static bool Near(double a, double b) => Math.Abs(a - b) <= 1e-6 * Math.Max(1, Math.Abs(b));

    private NodeProto Fused(NodeProto last, string op, string x, params NodeProto[] inner)
    {
        foreach (var node in inner) removed.Add(node);
        var fused = new NodeProto { OpType = op, Name = last.Name };
        fused.Input.Add(x);
        fused.Output.Add(last.Output[0]);
        return fused;
    }
}
