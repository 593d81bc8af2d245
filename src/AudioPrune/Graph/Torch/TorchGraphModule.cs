using AudioPrune.Graph.Nodes;
using AudioPrune.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AudioPrune.Graph.Torch;

/// <summary>
/// Runs a <see cref="NetworkGraph"/> with TorchSharp: one registered submodule per node that owns weights
/// (or behaves differently in training, like dropout), named after the node, so the module's state_dict
/// keys are the graph's parameter names. Input is (N, C, H, W) or (N, features); output is the graph output.
/// Feature maps are kept in the <see cref="ActivationLayout"/> chosen for the network and the CPU; on CPUs with
/// channel blocks, pruned widths run padded to whole blocks (<see cref="ChannelPadding"/>), which only the module's
/// own tensors show: weights go in and out at the graph's shapes. TorchSharp refuses dots in submodule names, so a
/// node named by a PyTorch module path ("layer1.0.conv1") is registered with its dots as hyphens, which no node name
/// contains (<see cref="ModuleName"/>); the weights still go in and out under the graph's names.
/// </summary>
internal sealed class TorchGraphModule : nn.Module<Tensor, Tensor>
{
    private readonly NetworkGraph graph;
    private readonly NetworkGraph physical;
    private readonly Dictionary<string, nn.Module<Tensor, Tensor>> layers = new(StringComparer.Ordinal);
    private readonly HashSet<string> inPlaceActivations;

    static TorchGraphModule()
    {
        NativeRuntime.EnsureInitialized();
        torch.InitializeDeviceType(DeviceType.CPU); // loads libtorch, whose settings follow
        NativeRuntime.DisableNnpack();
    }

    /// <param name="graph">The network.</param>
    /// <param name="layout">The feature maps' memory order; by default the one measured faster for this network here.</param>
    /// <param name="padChannels">Whether to pad pruned widths to whole channel blocks; by default where the CPU has them.</param>
    public TorchGraphModule(NetworkGraph graph, ActivationLayout? layout = null, bool? padChannels = null) : base(graph.Name)
    {
        this.graph = graph;
        var block = CpuPolicy.Current.OneDnnChannelBlock;
        var pad = padChannels ?? block > 0;
        physical = pad ? ChannelPadding.Padded(graph, block > 0 ? block : ForcedPaddingBlock) ?? graph : graph;
        Layout = layout ?? ActivationLayouts.For(physical, block);
        foreach (var node in physical.Nodes)
        {
            var layer = CreateLayer(node, physical.ShapeOf(node.Inputs[0]));
            if (layer is null) continue;
            layers[node.Name] = layer;
            register_module(ModuleName(node.Name), layer);
        }
        inPlaceActivations = InPlaceActivations(physical);
    }

    /// <summary>The block channels are padded to when padding is asked for on a CPU without blocks (tests).</summary>
    private const int ForcedPaddingBlock = 16;

    public NetworkGraph Graph => graph;

    public ActivationLayout Layout { get; }

    /// <summary>The network the module runs: <see cref="Graph"/> with its channels padded when <see cref="PadsChannels"/>.</summary>
    public NetworkGraph ExecutedGraph => physical;

    /// <summary>Whether the module runs the network with its channels padded to whole blocks.</summary>
    public bool PadsChannels => !ReferenceEquals(physical, graph);

    /// <summary>A module with the given weights loaded (in evaluation mode).</summary>
    public static TorchGraphModule Create(NetworkGraph graph, WeightMap weights, ActivationLayout? layout = null, bool? padChannels = null)
    {
        var module = new TorchGraphModule(graph, layout, padChannels);
        module.LoadWeights(weights);
        module.eval();
        return module;
    }

    public override Tensor forward(Tensor input)
    {
        if (Layout == ActivationLayout.ChannelsLast && input.dim() == 4) input = ActivationLayouts.ToChannelsLast(input);
        var values = new Dictionary<string, Tensor>(StringComparer.Ordinal) { [NetworkGraph.InputName] = input };
        foreach (var node in physical.Nodes)
        {
            values[node.Name] = Run(node, node.Inputs.Select(i => values[i]).ToArray());
        }
        var output = values[graph.Output.Name];
        var channels = graph.OutputShape[0];
        if (output.shape[1] != channels) output = output.narrow(1, 0, channels);
        // A feature-map output leaves in channels-first order, as callers that read its numbers expect.
        return output.dim() == 4 && !output.is_contiguous() ? output.contiguous() : output;
    }

    public void LoadWeights(WeightMap weights)
    {
        weights.EnsureMatches(graph, $"weights for '{graph.Name}'");
        var state = state_dict();
        using var _ = no_grad();
        foreach (var (name, spec, node) in physical.ParameterTensors)
        {
            var tensor = weights[name];
            using var source = torch.tensor(tensor.Data, tensor.Shape.Select(d => (long)d).ToArray());
            var target = state[StateKey(node, spec)];
            if (!target.shape.SequenceEqual(source.shape)) target.fill_(ChannelPadding.FillValue(spec));
            using var real = ChannelPadding.RealPart(target, source.shape);
            real.copy_(source);
        }
    }

    /// <summary>The module's current weights (parameters and running statistics; not num_batches_tracked).</summary>
    public WeightMap ToWeightMap()
    {
        var state = state_dict();
        var weights = new WeightMap();
        foreach (var (name, spec, node) in graph.ParameterTensors)
        {
            using var real = ChannelPadding.RealPart(state[StateKey(node, spec)].detach(), spec.Shape.Select(d => (long)d).ToArray());
            var t = real.cpu().contiguous();
            weights[name] = new TensorData(t.shape.Select(d => (int)d).ToArray(), t.data<float>().ToArray());
        }
        return weights;
    }

    /// <summary>The submodule name of a node: its name with dots as hyphens (one-to-one, as node names have no hyphens).</summary>
    public static string ModuleName(string nodeName) => nodeName.Replace('.', '-');

    /// <summary>The module's state_dict key of a node's parameter.</summary>
    private static string StateKey(Node node, ParameterSpec spec) => spec.FullName(ModuleName(node.Name));

    private static nn.Module<Tensor, Tensor>? CreateLayer(Node node, Shape input) => node switch
    {
        Conv2dNode c => nn.Conv2d(c.InChannels, c.OutChannels, (c.Kernel.H, c.Kernel.W), stride: (c.Stride.H, c.Stride.W),
            padding: (c.Padding.H, c.Padding.W), groups: c.Groups, bias: c.Bias),
        BatchNormNode b when input.Rank == 3 => nn.BatchNorm2d(b.Channels, b.Epsilon, b.Momentum),
        BatchNormNode b => nn.BatchNorm1d(b.Channels, b.Epsilon, b.Momentum),
        LinearNode l => nn.Linear(l.InFeatures, l.OutFeatures, hasBias: l.Bias),
        DropoutNode d => nn.Dropout(d.P),
        _ => null,
    };

    private Tensor Run(Node node, Tensor[] inputs) => node switch
    {
        BatchNormNode { Axis: not 0 } b => NormaliseAxis(layers[b.Name], inputs[0], b.Axis + 1),
        Conv2dNode c => Convolve(c, inputs[0]),
        BatchNormNode or LinearNode or DropoutNode => layers[node.Name].call(inputs[0]),
        ActivationNode { Kind: ActivationKind.Relu } a when inPlaceActivations.Contains(a.Name) => inputs[0].relu_(),
        ActivationNode a => Activate(a, inputs[0]),
        Pool2dNode p => Pool(p, inputs[0]),
        GlobalPoolNode g => GlobalPool(g, inputs[0]),
        FlattenNode => inputs[0].flatten(1),
        AddNode => inputs.Skip(1).Aggregate(inputs[0], (sum, t) => sum + t),
        MulNode => Gate(inputs[0], inputs[1]),
        ChannelSliceNode s => inputs[0].narrow(1, s.Start, s.Count),
        ConcatNode c => torch.cat(inputs, c.Axis + 1),
        _ => throw new GraphException($"node '{node.Name}': op '{node.Op}' has no TorchSharp implementation"),
    };

    /// <summary>A product; a vector gate (N, C) is viewed as (N, C, 1, 1) to broadcast over the map.</summary>
    private static Tensor Gate(Tensor a, Tensor b) =>
        a.dim() < b.dim() ? AsMapGate(a, b) * b : a * AsMapGate(b, a);

    private static Tensor AsMapGate(Tensor gate, Tensor map) =>
        gate.dim() == map.dim() ? gate : gate.view([.. gate.shape, .. Enumerable.Repeat(1L, (int)(map.dim() - gate.dim()))]);

    /// <summary>A trainable single-channel convolution over an input that gets no gradient (the network input).</summary>
    private bool NeedsOnlyWeightGradient(Conv2dNode node, Tensor input) =>
        training && is_grad_enabled() && !input.requires_grad && SingleChannelConvolution.PaysOnThisCpu && SingleChannelConvolution.Supports(node)
        && ((Conv2d)layers[node.Name]).weight!.requires_grad;

    /// <summary>
    /// libtorch's convolution, except for the first-layer form of <see cref="SingleChannelConvolution"/> and the
    /// channel padding of <see cref="BlockAlignedConvolution"/> (one group only; grouped kernels were exact).
    /// </summary>
    private Tensor Convolve(Conv2dNode node, Tensor input)
    {
        var conv = (Conv2d)layers[node.Name];
        if (NeedsOnlyWeightGradient(node, input)) return SingleChannelConvolution.Run(input, conv.weight!, conv.bias, node.Padding);
        if (node.Groups != 1) return conv.call(input);
        var inputGradient = input.requires_grad && is_grad_enabled();
        return BlockAlignedConvolution.Conv2d(input, conv.weight!, conv.bias, node.Stride, node.Padding, alignFilters: inputGradient);
    }

    /// <summary>
    /// ReLUs that may overwrite their input: it is a conv, linear or channel batch-norm output read by nothing else,
    /// and none of those layers keeps its output for the backward pass. That saves a tensor the size of the
    /// layer's output and one pass over it per step (tens of megabytes per DCASE21_Net batch).
    /// </summary>
    private static HashSet<string> InPlaceActivations(NetworkGraph graph)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var relu in graph.NodesOf<ActivationNode>().Where(a => a.Kind == ActivationKind.Relu))
        {
            var source = relu.Inputs[0];
            if (source == NetworkGraph.InputName) continue;
            var producer = graph[source];
            var overwritable = producer is Conv2dNode or LinearNode or BatchNormNode { Axis: 0 };
            if (overwritable && graph.ConsumersOf(source).Count == 1) names.Add(relu.Name);
        }
        return names;
    }

    /// <summary>Batch norm over a non-channel axis (CNN14's mel bins): move that axis to dim 1 and back.</summary>
    private static Tensor NormaliseAxis(nn.Module<Tensor, Tensor> norm, Tensor x, int dim)
    {
        using var moved = x.transpose(1, dim);
        using var normalised = norm.call(moved);
        return normalised.transpose(1, dim);
    }

    private static Tensor Activate(ActivationNode a, Tensor x) => a.Kind switch
    {
        ActivationKind.Relu => nn.functional.relu(x),
        ActivationKind.LeakyRelu => nn.functional.leaky_relu(x, a.Slope),
        ActivationKind.Sigmoid => torch.sigmoid(x),
        ActivationKind.Tanh => torch.tanh(x),
        ActivationKind.Elu => nn.functional.elu(x, 1.0),
        ActivationKind.Gelu => nn.functional.gelu(x),
        ActivationKind.Softmax => torch.softmax(x, 1),
        ActivationKind.HardSigmoid => (x * a.HardSigmoidAlpha + a.HardSigmoidBeta).clamp(0, 1),
        ActivationKind.HardSwish => nn.functional.hardswish(x),
        ActivationKind.Silu => nn.functional.silu(x),
        ActivationKind.Clip => x.clamp(a.Min, a.Max),
        _ => throw new GraphException($"node '{a.Name}': activation {a.Kind} has no TorchSharp implementation"),
    };

    private static Tensor Pool(Pool2dNode p, Tensor x) => p.Kind switch
    {
        PoolKind.Max when NonOverlappingMaxPool.Supports(p) && NonOverlappingMaxPool.Accepts(x) => NonOverlappingMaxPool.Run(x, p.Kernel),
        PoolKind.Max => nn.functional.max_pool2d(x, [p.Kernel.H, p.Kernel.W], [p.Stride.H, p.Stride.W], [p.Padding.H, p.Padding.W]),
        _ => nn.functional.avg_pool2d(x, [p.Kernel.H, p.Kernel.W], [p.Stride.H, p.Stride.W], [p.Padding.H, p.Padding.W], count_include_pad: p.CountIncludePad),
    };

    private static Tensor GlobalPool(GlobalPoolNode g, Tensor x)
    {
        var dims = g.Axes.Select(a => (long)a + 1).ToArray();
        return g.Kind switch
        {
            GlobalPoolKind.Avg => x.mean(dims, g.KeepDims),
            GlobalPoolKind.Max => x.amax(dims, g.KeepDims),
            _ => x.mean(dims, g.KeepDims) + x.amax(dims, g.KeepDims),
        };
    }
}
