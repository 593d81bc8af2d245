using System.Text.Json;
using AudioPrune.Common;
using AudioPrune.Graph;
using AudioPrune.Graph.Nodes;
using Google.Protobuf;
using Onnx;

namespace AudioPrune.Interop.Onnx;

/// <summary>
/// Writes any model (pruned or not) as an ONNX model with a dynamic batch axis: input "input" (N, C, H, W),
/// output "output". Dropout is left out (inference); batch norm over a non-channel axis is
/// Transpose-BatchNormalization-Transpose; each convolution is written as its <see cref="ConvolutionPlan"/> says for
/// the options' layout; the labels, front end, normalisation and layout go into metadata_props.
/// </summary>
internal static class OnnxExporter
{
    public const string InputName = "input";
    public const string OutputName = "output";
    public const string BatchParam = "batch";
    public const string LabelsKey = "labels";
    public const string GraphKey = "audioprune_graph";

    public static void Write(ModelArtifact model, string path, OnnxExportOptions? options = null)
    {
        var proto = Build(model, options ?? new OnnxExportOptions());
        OnnxModelValidator.Validate(proto);
        AtomicFile.Write(path, stream => proto.WriteTo(stream));
    }

    public static ModelProto Build(ModelArtifact model, OnnxExportOptions options)
    {
        options.Validated();
        model.Weights.EnsureMatches(model.Graph, model.Graph.Name);
        var graph = options.IncludeProbabilityHead ? model.Graph : model.Graph.WithoutProbabilityHead();
        var writer = new OnnxGraphWriter();
        writer.Unique(InputName);
        writer.Graph.Name = graph.Name;
        writer.Graph.Input.Add(OnnxGraphWriter.Value(InputName, BatchParam, graph.Input.Dims));
        new Translation(graph, model.Weights, options, writer).Run();

        var proto = new ModelProto
        {
            IrVersion = options.IrVersion,
            ProducerName = "audioprune",
            ProducerVersion = typeof(OnnxExporter).Assembly.GetName().Version?.ToString() ?? "0",
            Graph = writer.Graph,
        };
        proto.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = options.Opset });
        foreach (var (key, value) in Metadata(model, graph, options)) proto.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return proto;
    }

    private static IEnumerable<(string, string)> Metadata(ModelArtifact model, NetworkGraph graph, OnnxExportOptions options)
    {
        foreach (var (key, value) in model.Metadata) yield return (key, value);
        yield return (LabelsKey, JsonSerializer.Serialize(model.Labels));
        yield return ("output_kind", graph.ProbabilityHead switch
        {
            ActivationKind.Softmax => "softmax",
            ActivationKind.Sigmoid => "sigmoid",
            _ => "logits",
        });
        yield return ("batchnorm_folded", options.FoldBatchNorm ? "true" : "false");
        yield return ("conv_layout", ConvolutionLayouts.Name(options.ConvolutionLayout));
        yield return (GraphKey, GraphJson.Serialize(graph));
    }

    /// <summary>One export: maps every graph node to ONNX nodes, tracking which tensor holds each node's output.</summary>
    private sealed class Translation(NetworkGraph graph, WeightMap weights, OnnxExportOptions options, OnnxGraphWriter writer)
    {
        private readonly Dictionary<string, string> tensorOf = new(StringComparer.Ordinal) { [NetworkGraph.InputName] = InputName };
        private readonly IReadOnlyDictionary<string, Conv2dNode> folded = options.FoldBatchNorm
            ? BatchNormFolding.Foldable(graph) : new Dictionary<string, Conv2dNode>();
        private readonly Dictionary<string, ActivationNode> fusedActivations = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Pool2dNode> columnPools = new(StringComparer.Ordinal);
        private readonly HashSet<string> poolsLeftWithRows = new(StringComparer.Ordinal);
        private readonly Dictionary<string, ConvolutionPlan> plans = new(StringComparer.Ordinal);

        public void Run()
        {
            var foldedConvs = folded.Values.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
            FindFusedActivations(foldedConvs);
            FindColumnPools();
            var fused = fusedActivations.Values.Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var node in graph.Nodes)
            {
                var inputs = node.Inputs.Select(i => tensorOf[i]).ToArray();
                var output = node == graph.Output ? writer.Unique(OutputName)
                    : writer.Unique(fusedActivations.TryGetValue(node.Name, out var activation) ? activation.Name : node.Name);
                if (node is DropoutNode || foldedConvs.Contains(node.Name) || fused.Contains(node.Name))
                {
                    // Dropout is the identity in inference; a folded convolution is written with its batch norm, a fused
                    // activation with its convolution.
                    tensorOf[node.Name] = inputs[0];
                    if (node != graph.Output) continue;
                    writer.Node("Identity", node.Name, inputs, output);
                }
                else
                {
                    Emit(node, inputs, output);
                }
                tensorOf[node.Name] = output;
                var info = OnnxGraphWriter.Value(output, BatchParam, WrittenShape(node.Name).Dims);
                if (node == graph.Output) writer.Graph.Output.Add(info);
                else writer.Graph.ValueInfo.Add(info);
            }
        }

        /// <summary>
        /// The element-wise activations that are the only reader of a convolution's output (or of its folded batch
        /// norm's), keyed by that node: they are written inside the convolution, before a folded layer's interleave.
        /// </summary>
        private void FindFusedActivations(HashSet<string> foldedConvs)
        {
            foreach (var activation in graph.NodesOf<ActivationNode>())
            {
                if (activation.Kind == ActivationKind.Softmax || activation == graph.Output || !graph.Contains(activation.Inputs[0])) continue;
                var source = graph[activation.Inputs[0]];
                var writesConvolution = source is Conv2dNode && !foldedConvs.Contains(source.Name) || folded.ContainsKey(source.Name);
                if (writesConvolution && graph.ConsumersOf(source.Name).Count == 1) fusedActivations[source.Name] = activation;
            }
        }

        /// <summary>
        /// Max pools whose windows tile their input and that alone read a row-folded convolution (or its fused
        /// activation), keyed by the node that writes that convolution: their columns are pooled before the interleave
        /// (see <see cref="ConvolutionWriter.Write"/>), and the pool node itself is left with the rows.
        /// </summary>
        private void FindColumnPools()
        {
            var batchNormOf = folded.ToDictionary(e => e.Value.Name, e => e.Key, StringComparer.Ordinal);
            foreach (var conv in graph.NodesOf<Conv2dNode>())
            {
                var written = batchNormOf.GetValueOrDefault(conv.Name, conv.Name);
                var last = fusedActivations.TryGetValue(written, out var activation) ? activation.Name : written;
                if (last == graph.Output.Name || graph.ConsumersOf(last) is not [Pool2dNode pool]) continue;
                var tiles = pool.Kind == PoolKind.Max && pool.Stride == pool.Kernel && pool.Padding == new Size2(0, 0) && pool.Kernel.W > 1;
                if (!tiles || !PlanOf(conv).IsFolded) continue;
                columnPools[written] = pool;
                poolsLeftWithRows.Add(pool.Name);
            }
        }

        /// <summary>A node's output shape as written: narrower for a convolution that pools its columns.</summary>
        private Shape WrittenShape(string node)
        {
            var shape = graph.ShapeOf(node);
            return columnPools.TryGetValue(node, out var pool) ? new Shape(shape[0], shape[1], shape[2] / pool.Kernel.W) : shape;
        }

        private void Emit(Node node, string[] x, string y)
        {
            switch (node)
            {
                case Conv2dNode c:
                    Conv(c, x[0], y, weights[$"{c.Name}.weight"], c.Bias ? weights[$"{c.Name}.bias"] : null);
                    break;
                case BatchNormNode b when folded.TryGetValue(b.Name, out var conv):
                    var (w, bias) = BatchNormFolding.Fold(conv, b, weights);
                    Conv(conv, tensorOf[conv.Inputs[0]], y, w, bias, b.Name);
                    break;
                case BatchNormNode b:
                    BatchNorm(b, x[0], y);
                    break;
                case ActivationNode a:
                    Activation(a, x[0], y);
                    break;
                case Pool2dNode p when poolsLeftWithRows.Contains(p.Name) && p.Kernel.H == 1:
                    writer.Node("Identity", p.Name, x, y); // the convolution pooled the columns, and there are no rows to pool
                    break;
                case Pool2dNode p:
                    var (kernel, stride) = poolsLeftWithRows.Contains(p.Name) ? (p.Kernel with { W = 1 }, p.Stride with { W = 1 }) : (p.Kernel, p.Stride);
                    var attributes = new List<AttributeProto>
                    {
                        OnnxGraphWriter.Ints("kernel_shape", kernel.H, kernel.W), OnnxGraphWriter.Ints("strides", stride.H, stride.W),
                        OnnxGraphWriter.Ints("pads", p.Padding.H, p.Padding.W, p.Padding.H, p.Padding.W),
                    };
                    if (p.Kind == PoolKind.Avg) attributes.Add(OnnxGraphWriter.Int("count_include_pad", p.CountIncludePad ? 1 : 0));
                    writer.Node(p.Kind == PoolKind.Max ? "MaxPool" : "AveragePool", p.Name, x, y, [.. attributes]);
                    break;
                case GlobalPoolNode g:
                    GlobalPool(g, x[0], y);
                    break;
                case FlattenNode f:
                    writer.Node("Flatten", f.Name, x, y, OnnxGraphWriter.Int("axis", 1));
                    break;
                case LinearNode l:
                    var gemmInputs = new List<string> { x[0], writer.Initializer($"{l.Name}.weight", weights[$"{l.Name}.weight"]) };
                    if (l.Bias) gemmInputs.Add(writer.Initializer($"{l.Name}.bias", weights[$"{l.Name}.bias"]));
                    writer.Node("Gemm", l.Name, gemmInputs, y, OnnxGraphWriter.Int("transB", 1));
                    break;
                case AddNode a:
                    writer.Sum(x, y, a.Name);
                    break;
                case ConcatNode c:
                    writer.Node("Concat", c.Name, x, y, OnnxGraphWriter.Int("axis", c.Axis + 1));
                    break;
                case MulNode m:
                    writer.Node("Mul", m.Name, m.Inputs.Select((input, i) => MapGate(input, x[i], m)).ToArray(), y); // ONNX broadcasts a (N, C, 1, 1) gate over (N, C, H, W)
                    break;
                case ChannelSliceNode s:
                    writer.ChannelSlice(x[0], y, s.Name, s.Start, s.Count);
                    break;
                default:
                    throw new GraphException($"node '{node.Name}': op '{node.Op}' has no ONNX export");
            }
        }

        /// <summary>A vector gate (N, C) reshaped to (N, C, 1, 1); any other operand as it is.</summary>
        private string MapGate(string input, string x, MulNode mul)
        {
            if (graph.ShapeOf(input).Rank != 1 || graph.ShapeOf(mul.Name).Rank == 1) return x;
            var gate = writer.Unique($"{mul.Name}_gate");
            writer.Node("Reshape", gate, [x, writer.Int64Initializer($"{gate}_shape", [0, -1, 1, 1])], gate);
            return gate;
        }

        private void Conv(Conv2dNode c, string x, string y, TensorData weight, TensorData? bias, string? nodeName = null)
        {
            var name = nodeName ?? c.Name;
            var output = graph.ShapeOf(c.Name);
            Action<string, string>? activate = fusedActivations.TryGetValue(name, out var a) ? (from, to) => Activation(a, from, to) : null;
            var poolColumns = columnPools.TryGetValue(name, out var pool) ? pool.Kernel.W : 1;
            ConvolutionWriter.Write(writer, c, x, y, weight, bias, name, PlanOf(c), output, activate, poolColumns);
        }

        private ConvolutionPlan PlanOf(Conv2dNode conv)
        {
            if (!plans.TryGetValue(conv.Name, out var plan))
                plans[conv.Name] = plan = ConvolutionPlan.For(conv, graph.ShapeOf(conv.Name), options.ConvolutionLayout);
            return plan;
        }

        private void BatchNorm(BatchNormNode b, string x, string y)
        {
            var parameters = new[] { "weight", "bias", "running_mean", "running_var" }
                .Select(s => writer.Initializer($"{b.Name}.{s}", weights[$"{b.Name}.{s}"])).ToArray();
            var epsilon = OnnxGraphWriter.Float("epsilon", b.Epsilon);
            if (b.Axis == 0)
            {
                writer.Node("BatchNormalization", b.Name, [x, .. parameters], y, epsilon);
                return;
            }
            // ONNX normalises axis 1 only: swap the normalised axis there and back (CNN14's bn0 over mel bins).
            var rank = graph.ShapeOf(b.Inputs[0]).Rank + 1;
            var perm = Enumerable.Range(0, rank).Select(i => (long)i).ToArray();
            (perm[1], perm[b.Axis + 1]) = (perm[b.Axis + 1], perm[1]);
            var moved = writer.Unique($"{b.Name}_moved");
            var normalised = writer.Unique($"{b.Name}_normalised");
            writer.Node("Transpose", moved, [x], moved, OnnxGraphWriter.Ints("perm", perm));
            writer.Node("BatchNormalization", b.Name, [moved, .. parameters], normalised, epsilon);
            writer.Node("Transpose", normalised + "_back", [normalised], y, OnnxGraphWriter.Ints("perm", perm));
        }

        private void Activation(ActivationNode a, string x, string y)
        {
            switch (a.Kind)
            {
                case ActivationKind.Relu: writer.Node("Relu", a.Name, [x], y); break;
                case ActivationKind.LeakyRelu: writer.Node("LeakyRelu", a.Name, [x], y, OnnxGraphWriter.Float("alpha", a.Slope)); break;
                case ActivationKind.Sigmoid: writer.Node("Sigmoid", a.Name, [x], y); break;
                case ActivationKind.Tanh: writer.Node("Tanh", a.Name, [x], y); break;
                case ActivationKind.Elu: writer.Node("Elu", a.Name, [x], y, OnnxGraphWriter.Float("alpha", 1.0)); break;
                case ActivationKind.Softmax: writer.Node("Softmax", a.Name, [x], y, OnnxGraphWriter.Int("axis", 1)); break;
                case ActivationKind.Gelu when options.Opset >= 20: writer.Node("Gelu", a.Name, [x], y); break;
                case ActivationKind.HardSigmoid:
                    writer.Node("HardSigmoid", a.Name, [x], y, OnnxGraphWriter.Float("alpha", a.HardSigmoidAlpha), OnnxGraphWriter.Float("beta", a.HardSigmoidBeta));
                    break;
                case ActivationKind.HardSwish when options.Opset >= 14: writer.Node("HardSwish", a.Name, [x], y); break;
                case ActivationKind.HardSwish: Gated(a.Name, "HardSigmoid", x, y, OnnxGraphWriter.Float("alpha", ActivationNode.DefaultHardSigmoidAlpha)); break;
                case ActivationKind.Silu: Gated(a.Name, "Sigmoid", x, y); break;
                case ActivationKind.Clip:
                    string[] bounds = [x, a.Min is { } min ? writer.ScalarInitializer($"{a.Name}_min", (float)min) : "",
                        a.Max is { } max ? writer.ScalarInitializer($"{a.Name}_max", (float)max) : ""];
                    writer.Node("Clip", a.Name, bounds.Reverse().SkipWhile(b => b.Length == 0).Reverse(), y);
                    break;
                case ActivationKind.Gelu:
                    // Exact GELU before opset 20: 0.5 * x * (1 + erf(x / sqrt(2))).
                    var scaled = writer.Unique($"{a.Name}_scaled");
                    var erf = writer.Unique($"{a.Name}_erf");
                    var shifted = writer.Unique($"{a.Name}_plus1");
                    var product = writer.Unique($"{a.Name}_product");
                    writer.Node("Div", scaled, [x, writer.ScalarInitializer($"{a.Name}_sqrt2", MathF.Sqrt(2f))], scaled);
                    writer.Node("Erf", erf, [scaled], erf);
                    writer.Node("Add", shifted, [erf, writer.ScalarInitializer($"{a.Name}_one", 1f)], shifted);
                    writer.Node("Mul", product, [x, shifted], product);
                    writer.Node("Mul", a.Name, [product, writer.ScalarInitializer($"{a.Name}_half", 0.5f)], y);
                    break;
                default:
                    throw new GraphException($"node '{a.Name}': activation {a.Kind} has no ONNX export");
            }
        }

        /// <summary>x times gate(x): SiLU with Sigmoid, HardSwish with HardSigmoid (as PyTorch exports them).</summary>
        private void Gated(string name, string gate, string x, string y, params AttributeProto[] attributes)
        {
            var gated = writer.Unique($"{name}_gate");
            writer.Node(gate, gated, [x], gated, attributes);
            writer.Node("Mul", name, [x, gated], y);
        }

        private void GlobalPool(GlobalPoolNode g, string x, string y)
        {
            var axes = g.Axes.Select(a => (long)a + 1).ToArray();
            if (g.Kind != GlobalPoolKind.AvgPlusMax)
            {
                Reduce(g.Kind == GlobalPoolKind.Avg ? "ReduceMean" : "ReduceMax", g.Name, x, y, axes, g.KeepDims);
                return;
            }
            var mean = writer.Unique($"{g.Name}_mean");
            var max = writer.Unique($"{g.Name}_max");
            Reduce("ReduceMean", mean, x, mean, axes, g.KeepDims);
            Reduce("ReduceMax", max, x, max, axes, g.KeepDims);
            writer.Node("Add", g.Name, [mean, max], y);
        }

        /// <summary>ReduceMean/ReduceMax took axes as an attribute until opset 18, as an input from then on.</summary>
        private void Reduce(string op, string name, string x, string y, long[] axes, bool keepDims)
        {
            var keep = OnnxGraphWriter.Int("keepdims", keepDims ? 1 : 0);
            if (options.Opset >= 18) writer.Node(op, name, [x, writer.Int64Initializer($"{name}_axes", axes)], y, keep);
            else writer.Node(op, name, [x], y, OnnxGraphWriter.Ints("axes", axes), keep);
        }
    }
}
