using System.Text.RegularExpressions;
using AudioPrune.Common;
using AudioPrune.Graph;
using AudioPrune.Graph.Nodes;

namespace AudioPrune.Interop.Keras;

/// <summary>
/// Turns the layers of a Keras model (config plus weights) into graph nodes and PyTorch-layout weights.
/// Each Keras layer becomes one node named after it (a Conv2D or Dense with an activation adds a second node
/// "name_relu"); identity layers (InputLayer, linear activations) become no node. Anything the graph cannot
/// express exactly is refused with the layer's name and position.
/// </summary>
internal sealed partial class KerasGraphConverter
{
    private readonly KerasH5File file;
    private readonly KerasModelConfig model;
    private readonly List<Node> nodes = [];
    private readonly WeightMap weights = new();
    private readonly Dictionary<string, string> nodeOf = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Shape> shapes = new(StringComparer.Ordinal);
    // Vectors that are a channels-last flatten of a C x H x W map, and that map's shape.
    private readonly Dictionary<string, Shape> flattenedFrom = new(StringComparer.Ordinal);
    private readonly HashSet<string> usedNames = new(StringComparer.Ordinal) { NetworkGraph.InputName };

    private KerasGraphConverter(KerasH5File file, KerasModelConfig model)
    {
        this.file = file;
        this.model = model;
    }

    public static (NetworkGraph Graph, WeightMap Weights) Convert(KerasH5File file, KerasModelConfig model, string graphName)
    {
        var converter = new KerasGraphConverter(file, model);
        return converter.Run(graphName);
    }

    private string Path => file.Path;

    private (NetworkGraph, WeightMap) Run(string graphName)
    {
        var input = GraphInput();
        nodeOf[model.InputLayer] = NetworkGraph.InputName;
        shapes[NetworkGraph.InputName] = input;
        foreach (var layer in model.Layers) Convert(layer);
        if (!nodeOf.TryGetValue(model.OutputLayer, out var output))
            throw UserInputException.InFile(Path, $"output layer '{model.OutputLayer}' is not among the model's layers");
        if (output == NetworkGraph.InputName || nodes[^1].Name != output)
            throw UserInputException.InFile(Path, $"output layer '{model.OutputLayer}' is not the last layer computed; layers after it are not supported");
        try
        {
            var graph = new NetworkGraph(graphName, input, nodes);
            weights.EnsureMatches(graph, Path);
            return (graph, weights.OrderedLike(graph));
        }
        catch (GraphException e)
        {
            throw UserInputException.InFile(Path, e.Message);
        }
    }

    private Shape GraphInput()
    {
        var dims = model.InputShape;
        if (dims.Any(d => d <= 0))
            throw UserInputException.InFile(Path, $"the input shape ({string.Join(", ", dims.Select(d => d <= 0 ? "None" : d.ToString()))}) has an unknown size; only fixed input shapes can be imported");
        return dims.Length switch
        {
            3 => new Shape(dims[2], dims[0], dims[1]),
            1 => new Shape(dims[0]),
            _ => throw UserInputException.InFile(Path, $"input shape ({string.Join(", ", dims)}) is not (H, W, C) or (features)"),
        };
    }

    private void Convert(KerasLayer layer)
    {
        try
        {
            ConvertLayer(layer);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            // A setting missing or of the wrong JSON type.
            throw Refuse(layer, $"unreadable settings in model_config: {e.Message.ReplaceLineEndings(" ")}");
        }
    }

    private void ConvertLayer(KerasLayer layer)
    {
        var inputs = layer.Inbound.Select(i => nodeOf.TryGetValue(i, out var n) ? n
            : throw Refuse(layer, $"reads '{i}', which is not an earlier layer")).ToArray();
        if (inputs.Length == 0) throw Refuse(layer, "has no inbound layer");
        string? format = layer.String("data_format");
        if (format is not (null or "channels_last")) throw Refuse(layer, $"data_format '{format}' is not supported (channels_last only)");
        switch (layer.ClassName)
        {
            case "Conv2D": Conv(layer, Single(layer, inputs)); break;
            case "BatchNormalization": BatchNorm(layer, Single(layer, inputs)); break;
            case "Activation": Activation(layer, Single(layer, inputs), layer.String("activation") ?? "linear", layer.Name); break;
            case "ReLU": Relu(layer, Single(layer, inputs)); break;
            case "LeakyReLU":
                Emit(layer, new ActivationNode { Name = NodeName(layer.Name), Inputs = [Single(layer, inputs)], Kind = ActivationKind.LeakyRelu, Slope = layer.Double("alpha", layer.Double("negative_slope", 0.3)) });
                break;
            case "ELU":
                if (layer.Double("alpha", 1.0) != 1.0) throw Refuse(layer, "ELU with alpha other than 1 is not supported");
                Activation(layer, Single(layer, inputs), "elu", layer.Name);
                break;
            case "Softmax":
                if (layer.Ints("axis") is { } axis && !(axis.Length == 1 && axis[0] is -1 or 1)) throw Refuse(layer, "softmax over an axis other than the last is not supported");
                Activation(layer, Single(layer, inputs), "softmax", layer.Name);
                break;
            case "MaxPooling2D": Pool(layer, Single(layer, inputs), PoolKind.Max); break;
            case "AveragePooling2D": Pool(layer, Single(layer, inputs), PoolKind.Avg); break;
            case "GlobalAveragePooling2D": GlobalPool(layer, Single(layer, inputs), GlobalPoolKind.Avg); break;
            case "GlobalMaxPooling2D": GlobalPool(layer, Single(layer, inputs), GlobalPoolKind.Max); break;
            case "Dropout":
                Emit(layer, new DropoutNode { Name = NodeName(layer.Name), Inputs = [Single(layer, inputs)], P = layer.Double("rate", 0) });
                break;
            case "Flatten": Flatten(layer, Single(layer, inputs)); break;
            case "Dense": Dense(layer, Single(layer, inputs)); break;
            case "Add":
                var orders = inputs.Select(i => flattenedFrom.GetValueOrDefault(i)).Distinct().ToArray();
                if (orders.Length > 1) throw Refuse(layer, "adds vectors flattened from different feature maps (or flattened and not), which is not supported");
                Emit(layer, new AddNode { Name = NodeName(layer.Name), Inputs = inputs });
                break;
            case "Concatenate": Concatenate(layer, inputs); break;
            default:
                throw Refuse(layer, "is a layer type AudioPrune cannot import (supported: Conv2D, BatchNormalization, Activation, ReLU, LeakyReLU, ELU, Softmax, MaxPooling2D, AveragePooling2D, GlobalAveragePooling2D, GlobalMaxPooling2D, Dropout, Flatten, Dense, Add, Concatenate, InputLayer)");
        }
    }

    private void Conv(KerasLayer layer, string input)
    {
        var inShape = shapes[input];
        if (inShape.Rank != 3) throw Refuse(layer, $"needs an (H, W, C) feature map, its input is {inShape}");
        var kernel = Pair(layer, "kernel_size");
        var stride = Pair(layer, "strides", Size2.Square(1));
        if (layer.Ints("dilation_rate") is { } dilation && dilation.Any(d => d != 1)) throw Refuse(layer, "dilated convolutions are not supported");
        if (layer.Has("groups") && layer.Int("groups") != 1) throw Refuse(layer, "grouped convolutions are not supported");
        var padding = Padding(layer, kernel, stride);
        var filters = layer.Int("filters");
        var bias = layer.Bool("use_bias", true);
        var name = NodeName(layer.Name);
        var tensors = Tensors(layer, WithBias(bias, [kernel.H, kernel.W, inShape.Channels, filters], filters));
        weights[$"{name}.weight"] = ChannelsLastLayout.ConvKernel(tensors["kernel"]);
        if (bias) weights[$"{name}.bias"] = tensors["bias"];
        Emit(layer, new Conv2dNode
        {
            Name = name, Inputs = [input], InChannels = inShape.Channels, OutChannels = filters,
            Kernel = kernel, Stride = stride, Padding = padding, Bias = bias,
        });
        Activation(layer, name, layer.String("activation") ?? "linear", layer.Name + "_" + (layer.String("activation") ?? ""));
    }

    private void BatchNorm(KerasLayer layer, string input)
    {
        var inShape = shapes[input];
        var axes = layer.Ints("axis") ?? [-1];
        if (axes.Length != 1) throw Refuse(layer, "normalising over several axes is not supported");
        var axis = GraphAxis(layer, axes[0], inShape);
        var channels = inShape[axis];
        var (scale, center) = (layer.Bool("scale", true), layer.Bool("center", true));
        var names = new List<string>();
        if (scale) names.Add("gamma");
        if (center) names.Add("beta");
        names.AddRange(["moving_mean", "moving_variance"]);
        var tensors = Tensors(layer, names.ToDictionary(t => t, _ => new[] { channels }));
        var name = NodeName(layer.Name);
        // After a Flatten the features are in channels-last order; the graph's are channel-major.
        var flattened = flattenedFrom.GetValueOrDefault(input);
        TensorData Features(TensorData t) => flattened is null ? t : ChannelsLastLayout.FlattenedVector(t, flattened);
        weights[$"{name}.weight"] = scale ? Features(tensors["gamma"]) : TensorData.Filled(1f, channels);
        weights[$"{name}.bias"] = center ? Features(tensors["beta"]) : TensorData.Zeros(channels);
        weights[$"{name}.running_mean"] = Features(tensors["moving_mean"]);
        weights[$"{name}.running_var"] = Features(tensors["moving_variance"]);
        // Keras momentum is the weight of the old running value; PyTorch's is the weight of the new batch.
        Emit(layer, new BatchNormNode
        {
            Name = name, Inputs = [input], Channels = channels, Axis = axis,
            Epsilon = layer.Double("epsilon", 1e-3), Momentum = 1 - layer.Double("momentum", 0.99),
        });
    }

    private void Relu(KerasLayer layer, string input)
    {
        if (layer.Has("max_value")) throw Refuse(layer, "ReLU with max_value (a clipped ReLU) is not supported");
        if (layer.Double("threshold", 0) != 0) throw Refuse(layer, "ReLU with a threshold is not supported");
        var slope = layer.Double("negative_slope", 0);
        Emit(layer, new ActivationNode
        {
            Name = NodeName(layer.Name), Inputs = [input],
            Kind = slope == 0 ? ActivationKind.Relu : ActivationKind.LeakyRelu, Slope = slope == 0 ? 0.01 : slope,
        });
    }

    /// <summary>An activation by its Keras name; "linear" adds no node (the layer's output is its input).</summary>
    private void Activation(KerasLayer layer, string input, string activation, string nodeName)
    {
        ActivationKind? kind = activation switch
        {
            "linear" => null,
            "relu" => ActivationKind.Relu,
            "sigmoid" => ActivationKind.Sigmoid,
            "tanh" => ActivationKind.Tanh,
            "elu" => ActivationKind.Elu,
            "gelu" => ActivationKind.Gelu,
            "softmax" => ActivationKind.Softmax,
            _ => throw Refuse(layer, $"activation '{activation}' is not supported (linear, relu, sigmoid, tanh, elu, gelu, softmax)"),
        };
        if (kind is null)
        {
            nodeOf[layer.Name] = input;
            return;
        }
        Emit(layer, new ActivationNode { Name = NodeName(nodeName), Inputs = [input], Kind = kind.Value });
    }

    private void Pool(KerasLayer layer, string input, PoolKind kind)
    {
        var size = Pair(layer, "pool_size");
        var stride = Pair(layer, "strides", size);
        Emit(layer, new Pool2dNode { Name = NodeName(layer.Name), Inputs = [input], Kind = kind, Kernel = size, Stride = stride, Padding = Padding(layer, size, stride) });
    }

    private void GlobalPool(KerasLayer layer, string input, GlobalPoolKind kind)
    {
        if (layer.Bool("keepdims", false)) throw Refuse(layer, "keepdims=True is not supported");
        Emit(layer, new GlobalPoolNode { Name = NodeName(layer.Name), Inputs = [input], Kind = kind, Axes = [1, 2] });
    }

    private void Flatten(KerasLayer layer, string input)
    {
        var name = NodeName(layer.Name);
        Emit(layer, new FlattenNode { Name = name, Inputs = [input] });
        var map = shapes[input];
        if (map.Rank == 3) flattenedFrom[name] = map;
    }

    private void Dense(KerasLayer layer, string input)
    {
        var inShape = shapes[input];
        if (inShape.Rank != 1) throw Refuse(layer, $"Dense on a feature map ({inShape}) is not supported; add Flatten or global pooling before it");
        var units = layer.Int("units");
        var bias = layer.Bool("use_bias", true);
        var tensors = Tensors(layer, WithBias(bias, [inShape[0], units], units));
        var name = NodeName(layer.Name);
        weights[$"{name}.weight"] = ChannelsLastLayout.DenseKernel(tensors["kernel"], flattenedFrom.GetValueOrDefault(input));
        if (bias) weights[$"{name}.bias"] = tensors["bias"];
        Emit(layer, new LinearNode { Name = name, Inputs = [input], InFeatures = inShape[0], OutFeatures = units, Bias = bias });
        Activation(layer, name, layer.String("activation") ?? "linear", layer.Name + "_" + (layer.String("activation") ?? ""));
    }

    private void Concatenate(KerasLayer layer, string[] inputs)
    {
        if (inputs.Any(flattenedFrom.ContainsKey)) throw Refuse(layer, "concatenating flattened feature maps is not supported");
        var keras = layer.Ints("axis")?[0] ?? -1;
        Emit(layer, new ConcatNode { Name = NodeName(layer.Name), Inputs = inputs, Axis = GraphAxis(layer, keras, shapes[inputs[0]]) });
    }

    /// <summary>Adds the node, infers its shape (refusing with the layer's position if it does not fit) and maps the layer to it.</summary>
    private void Emit(KerasLayer layer, Node node)
    {
        Shape shape;
        try
        {
            shape = node.InferShape(node.Inputs.Select(i => shapes[i]).ToArray());
        }
        catch (GraphException e)
        {
            throw Refuse(layer, e.Message);
        }
        nodes.Add(node);
        shapes[node.Name] = shape;
        nodeOf[layer.Name] = node.Name;
        // Element-wise layers (and batch norm, whose parameters were reordered) keep the channels-last flatten order of their input.
        if (node is DropoutNode or ActivationNode or BatchNormNode or AddNode && flattenedFrom.TryGetValue(node.Inputs[0], out var map)) flattenedFrom[node.Name] = map;
    }

    /// <summary>A Keras axis of a channels-last tensor (batch is axis 0) as a graph axis (channels first, no batch).</summary>
    private int GraphAxis(KerasLayer layer, int kerasAxis, Shape shape)
    {
        var rank = shape.Rank + 1;
        var axis = kerasAxis < 0 ? kerasAxis + rank : kerasAxis;
        if (axis <= 0 || axis >= rank) throw Refuse(layer, $"axis {kerasAxis} is not a feature axis of its input {shape}");
        if (shape.Rank == 1) return 0;
        return axis == rank - 1 ? 0 : axis; // (N, H, W, C): C -> 0, H -> 1, W -> 2
    }

    private Size2 Padding(KerasLayer layer, Size2 kernel, Size2 stride)
    {
        var padding = layer.String("padding") ?? "valid";
        if (padding == "valid") return Size2.Square(0);
        if (padding != "same") throw Refuse(layer, $"padding '{padding}' is not supported ('same' or 'valid')");
        if (stride != Size2.Square(1) || kernel.H % 2 == 0 || kernel.W % 2 == 0)
            throw Refuse(layer, $"'same' padding with kernel {kernel} and stride {stride} pads unevenly, which is not supported (only stride 1 with odd kernels)");
        return new Size2(kernel.H / 2, kernel.W / 2);
    }

    private Size2 Pair(KerasLayer layer, string key, Size2? fallback = null)
    {
        var values = layer.Ints(key);
        if (values is null) return fallback ?? throw Refuse(layer, $"has no '{key}'");
        return values.Length switch
        {
            1 => Size2.Square(values[0]),
            2 => new Size2(values[0], values[1]),
            _ => throw Refuse(layer, $"'{key}' has {values.Length} values, expected 2"),
        };
    }

    /// <summary>The kernel (and bias) shapes a layer's config implies.</summary>
    private static Dictionary<string, int[]> WithBias(bool bias, int[] kernel, int outputs) =>
        bias ? new() { ["kernel"] = kernel, ["bias"] = [outputs] } : new() { ["kernel"] = kernel };

    /// <summary>The layer's tensors, each read only after its declared shape matched the one the config implies.</summary>
    private Dictionary<string, TensorData> Tensors(KerasLayer layer, Dictionary<string, int[]> expected)
    {
        var found = file.LayerWeights(layer.Name);
        var missing = expected.Keys.Where(e => !found.ContainsKey(e)).ToArray();
        if (missing.Length > 0)
            throw Refuse(layer, $"the file lacks its weight(s) {string.Join(", ", missing)} (found: {(found.Count == 0 ? "none" : string.Join(", ", found.Keys))})");
        foreach (var (tensor, shape) in expected)
        {
            if (!found[tensor].Shape.SequenceEqual(shape))
                throw Refuse(layer, $"the config implies a {tensor} of shape [{string.Join(", ", shape)}] but the weights have [{string.Join(", ", found[tensor].Shape)}]");
        }
        return expected.Keys.ToDictionary(e => e, e => found[e].Read());
    }

    private string NodeName(string kerasName)
    {
        var name = InvalidChars().Replace(kerasName, "_").TrimEnd('_');
        if (name.Length == 0 || !char.IsAsciiLetter(name[0])) name = "layer_" + name;
        var unique = name;
        for (var i = 2; !usedNames.Add(unique); i++) unique = $"{name}_{i}";
        return unique;
    }

    private UserInputException Refuse(KerasLayer layer, string problem) => UserInputException.InFile(Path, $"{layer.Describe}: {problem}");

    private string Single(KerasLayer layer, string[] inputs) => inputs.Length == 1 ? inputs[0]
        : throw Refuse(layer, $"takes one input, got {inputs.Length}");

    [GeneratedRegex("[^A-Za-z0-9_]")]
    private static partial Regex InvalidChars();
}
