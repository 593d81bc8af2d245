using AudioPrune.Graph;
using AudioPrune.Graph.Nodes;

namespace AudioPrune.Tests.Pruning.Groups;

/// <summary>
/// A plain float64 forward pass of one example (no TorchSharp, nothing shared with the surgery), with an optional
/// mask: after a node runs, the listed axis-0 units of its output (or of the network input) are set to zero. "The
/// original network with the pruned channels zeroed" is this pass with the mask of every tensor of every pruned group.
/// Supports the node types the coupling tests build (conv with groups, batch norm on axis 0, relu/leaky/sigmoid/tanh,
/// pooling, global pooling over H and W, dropout, flatten, linear, add, concat on channels) and those ONNX import
/// adds (element-wise and per-channel-gate products, channel slices, hard sigmoid and swish, SiLU, clip, GELU, ELU).
/// </summary>
internal static class MaskedForward
{
    private sealed record Tensor(double[] Data, int[] Shape)
    {
        public int Per => Data.Length / Shape[0];
    }

    /// <param name="custom">Evaluates node types this pass does not know (test-only nodes): inputs' data and the output shape to output data.</param>
    public static double[] Run(NetworkGraph graph, WeightMap weights, double[] input, IReadOnlyDictionary<string, HashSet<int>>? masks = null,
        Func<Node, double[][], int[], double[]?>? custom = null)
    {
        var values = new Dictionary<string, Tensor>(StringComparer.Ordinal)
        {
            [NetworkGraph.InputName] = Masked(new Tensor((double[])input.Clone(), graph.Input.ToArray()), NetworkGraph.InputName, masks),
        };
        foreach (var node in graph.Nodes)
        {
            var inputs = node.Inputs.Select(i => values[i]).ToArray();
            var shape = graph.ShapeOf(node.Name).ToArray();
            var output = custom?.Invoke(node, inputs.Select(t => t.Data).ToArray(), shape) is { } data ? new Tensor(data, shape) : Evaluate(node, inputs, weights, shape);
            values[node.Name] = Masked(output, node.Name, masks);
        }
        return values[graph.Output.Name].Data;
    }

    private static Tensor Masked(Tensor t, string name, IReadOnlyDictionary<string, HashSet<int>>? masks)
    {
        if (masks is null || !masks.TryGetValue(name, out var units)) return t;
        foreach (var u in units) Array.Clear(t.Data, u * t.Per, t.Per);
        return t;
    }

    private static double[] W(WeightMap weights, string name) => weights[name].Data.Select(v => (double)v).ToArray();

    private static Tensor Evaluate(Node node, Tensor[] x, WeightMap w, int[] shape) => node switch
    {
        Conv2dNode c => Conv(c, x[0], w, shape),
        BatchNormNode { Axis: 0 } b => BatchNorm(b, x[0], w),
        ActivationNode { Kind: ActivationKind.Softmax } => Softmax(x[0]),
        ActivationNode a => Map(x[0], Activation(a)),
        DropoutNode => x[0],
        Pool2dNode p => Pool(p, x[0], shape),
        GlobalPoolNode g => GlobalPool(g, x[0]) with { Shape = shape },
        FlattenNode => new Tensor(x[0].Data, shape),
        LinearNode l => Linear(l, x[0], w),
        AddNode => new Tensor(Enumerable.Range(0, x[0].Data.Length).Select(i => x.Sum(t => t.Data[i])).ToArray(), shape),
        ConcatNode { Axis: 0 } => new Tensor(x.SelectMany(t => t.Data).ToArray(), shape),
        MulNode => Product(x[0], x[1], shape),
        ChannelSliceNode c => new Tensor(x[0].Data.AsSpan(c.Start * x[0].Per, c.Count * x[0].Per).ToArray(), shape),
        _ => throw new NotSupportedException($"reference forward has no {node.GetType().Name}"),
    };

    private static Tensor Conv(Conv2dNode c, Tensor x, WeightMap w, int[] shape)
    {
        var weight = W(w, $"{c.Name}.weight");
        var bias = c.Bias ? W(w, $"{c.Name}.bias") : new double[c.OutChannels];
        int inPer = c.InChannels / c.Groups, outPer = c.OutChannels / c.Groups, h = x.Shape[1], wd = x.Shape[2];
        int oh = shape[1], ow = shape[2], kh = c.Kernel.H, kw = c.Kernel.W;
        var y = new double[c.OutChannels * oh * ow];
        for (var o = 0; o < c.OutChannels; o++)
        for (var i = 0; i < oh; i++)
        for (var j = 0; j < ow; j++)
        {
            var sum = bias[o];
            for (var ci = 0; ci < inPer; ci++)
            {
                var channel = o / outPer * inPer + ci;
                for (var a = 0; a < kh; a++)
                for (var b = 0; b < kw; b++)
                {
                    int r = i * c.Stride.H - c.Padding.H + a, q = j * c.Stride.W - c.Padding.W + b;
                    if (r < 0 || r >= h || q < 0 || q >= wd) continue;
                    sum += weight[((o * inPer + ci) * kh + a) * kw + b] * x.Data[(channel * h + r) * wd + q];
                }
            }
            y[(o * oh + i) * ow + j] = sum;
        }
        return new Tensor(y, shape);
    }

    private static Tensor BatchNorm(BatchNormNode b, Tensor x, WeightMap w)
    {
        var (gamma, beta, mean, variance) = (W(w, $"{b.Name}.weight"), W(w, $"{b.Name}.bias"), W(w, $"{b.Name}.running_mean"), W(w, $"{b.Name}.running_var"));
        var y = new double[x.Data.Length];
        for (var i = 0; i < y.Length; i++)
        {
            var c = i / x.Per;
            y[i] = (x.Data[i] - mean[c]) / Math.Sqrt(variance[c] + b.Epsilon) * gamma[c] + beta[c];
        }
        return x with { Data = y };
    }

    private static Func<double, double> Activation(ActivationNode a) => a.Kind switch
    {
        ActivationKind.Relu => v => Math.Max(0, v),
        ActivationKind.LeakyRelu => v => v >= 0 ? v : a.Slope * v,
        ActivationKind.Sigmoid => v => 1 / (1 + Math.Exp(-v)),
        ActivationKind.Tanh => Math.Tanh,
        ActivationKind.Elu => v => v >= 0 ? v : Math.Exp(v) - 1,
        ActivationKind.HardSigmoid => v => Math.Clamp(a.HardSigmoidAlpha * v + a.HardSigmoidBeta, 0, 1),
        ActivationKind.HardSwish => v => v * Math.Clamp(v / 6 + 0.5, 0, 1),
        ActivationKind.Silu => v => v / (1 + Math.Exp(-v)),
        ActivationKind.Clip => v => Math.Min(Math.Max(v, a.Min ?? double.NegativeInfinity), a.Max ?? double.PositiveInfinity),
        ActivationKind.Gelu => v => 0.5 * v * (1 + Erf(v / Math.Sqrt(2))),
        _ => throw new NotSupportedException($"reference forward has no {a.Kind}"),
    };

    private static Tensor Softmax(Tensor x)
    {
        var max = x.Data.Max();
        var exp = x.Data.Select(v => Math.Exp(v - max)).ToArray();
        var sum = exp.Sum();
        return x with { Data = exp.Select(v => v / sum).ToArray() };
    }

    private static Tensor Map(Tensor x, Func<double, double> f) => x with { Data = x.Data.Select(f).ToArray() };

    private static Tensor Pool(Pool2dNode p, Tensor x, int[] shape)
    {
        int h = x.Shape[1], wd = x.Shape[2], oh = shape[1], ow = shape[2];
        var y = new double[shape[0] * oh * ow];
        for (var c = 0; c < shape[0]; c++)
        for (var i = 0; i < oh; i++)
        for (var j = 0; j < ow; j++)
        {
            var window = new List<double>();
            for (var a = 0; a < p.Kernel.H; a++)
            for (var b = 0; b < p.Kernel.W; b++)
            {
                int r = i * p.Stride.H - p.Padding.H + a, q = j * p.Stride.W - p.Padding.W + b;
                if (r >= 0 && r < h && q >= 0 && q < wd) window.Add(x.Data[(c * h + r) * wd + q]);
            }
            y[(c * oh + i) * ow + j] = p.Kind == PoolKind.Max ? window.Max()
                : p.CountIncludePad ? window.Sum() / (p.Kernel.H * p.Kernel.W) : window.Average();
        }
        return new Tensor(y, shape);
    }

    private static Tensor GlobalPool(GlobalPoolNode g, Tensor x)
    {
        if (!g.Axes.Order().SequenceEqual([1, 2])) throw new NotSupportedException("reference global pooling is over H and W only");
        var y = new double[x.Shape[0]];
        for (var c = 0; c < y.Length; c++)
        {
            var values = x.Data.AsSpan(c * x.Per, x.Per).ToArray();
            y[c] = g.Kind switch { GlobalPoolKind.Avg => values.Average(), GlobalPoolKind.Max => values.Max(), _ => values.Average() + values.Max() };
        }
        return new Tensor(y, [y.Length]);
    }

    private static Tensor Linear(LinearNode l, Tensor x, WeightMap w)
    {
        var weight = W(w, $"{l.Name}.weight");
        var bias = l.Bias ? W(w, $"{l.Name}.bias") : new double[l.OutFeatures];
        var y = new double[l.OutFeatures];
        for (var o = 0; o < y.Length; o++)
        {
            var sum = bias[o];
            for (var i = 0; i < l.InFeatures; i++) sum += weight[o * l.InFeatures + i] * x.Data[i];
            y[o] = sum;
        }
        return new Tensor(y, [y.Length]);
    }

    /// <summary>Same shapes element by element, or a per-channel gate (one value per channel) times a map.</summary>
    private static Tensor Product(Tensor a, Tensor b, int[] shape)
    {
        var (map, gate) = a.Per >= b.Per ? (a, b) : (b, a);
        var y = new double[map.Data.Length];
        for (var i = 0; i < y.Length; i++) y[i] = map.Data[i] * (gate.Per == map.Per ? gate.Data[i] : gate.Data[i / map.Per]);
        return new Tensor(y, shape);
    }

    /// <summary>The error function to double precision: its Taylor series below 2, the continued fraction of erfc above.</summary>
    private static double Erf(double x)
    {
        var t = Math.Abs(x);
        double value;
        if (t < 2)
        {
            double term = t, sum = t;
            for (var n = 1; n < 60; n++)
            {
                term *= -t * t / n;
                sum += term / (2 * n + 1);
            }
            value = 2 / Math.Sqrt(Math.PI) * sum;
        }
        else
        {
            var fraction = t;
            for (var n = 80; n >= 1; n--) fraction = t + n / 2.0 / fraction;
            value = 1 - Math.Exp(-t * t) / (Math.Sqrt(Math.PI) * fraction);
        }
        return x < 0 ? -value : value;
    }
}
