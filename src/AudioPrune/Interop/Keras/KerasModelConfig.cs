using System.Text.Json;
using AudioPrune.Common;

namespace AudioPrune.Interop.Keras;

/// <summary>
/// The architecture part of a Keras model: layers in order with their inbound layers, the input shape
/// (channels-last, without batch) and the output layer. Reads both Sequential and functional (Model/Functional) configs.
/// </summary>
internal sealed record KerasModelConfig(string ModelName, IReadOnlyList<KerasLayer> Layers, int[] InputShape, string InputLayer, string OutputLayer)
{
    public static KerasModelConfig Parse(string json, string path)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var className = root.GetProperty("class_name").GetString();
            var config = root.GetProperty("config");
            return className switch
            {
                "Sequential" => Sequential(config, path),
                "Model" or "Functional" => Functional(config, path),
                _ => throw UserInputException.InFile(path, $"Keras model class '{className}' is not supported (expected Sequential, Model or Functional)"),
            };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw UserInputException.InFile(path, $"model_config is not a Keras model description: {e.Message.ReplaceLineEndings(" ")}");
        }
    }

    private static KerasModelConfig Sequential(JsonElement config, string path)
    {
        // Keras 2.2 wrote the layer list directly; 2.3 and later wrap it in {"name", "layers"}.
        var name = config.ValueKind == JsonValueKind.Object && config.TryGetProperty("name", out var n) ? n.GetString() ?? "model" : "model";
        var layerList = config.ValueKind == JsonValueKind.Array ? config : config.GetProperty("layers");
        var layers = new List<KerasLayer>();
        int[]? inputShape = null;
        var previous = InputName;
        var position = 0;
        foreach (var element in layerList.EnumerateArray())
        {
            var layer = Read(element, ++position, [previous]);
            inputShape ??= BatchShape(layer);
            if (layer.ClassName == "InputLayer") continue;
            layers.Add(layer);
            previous = layer.Name;
        }
        if (inputShape is null) throw UserInputException.InFile(path, "the Sequential model does not state its input shape (no batch_input_shape)");
        if (layers.Count == 0) throw UserInputException.InFile(path, "the model has no layers");
        return new KerasModelConfig(name, layers, inputShape, InputName, layers[^1].Name);
    }

    private static KerasModelConfig Functional(JsonElement config, string path)
    {
        var name = config.TryGetProperty("name", out var n) ? n.GetString() ?? "model" : "model";
        var inputs = LayerRefs(config.GetProperty("input_layers"));
        var outputs = LayerRefs(config.GetProperty("output_layers"));
        if (inputs.Length != 1 || outputs.Length != 1)
            throw UserInputException.InFile(path, $"models with {inputs.Length} inputs and {outputs.Length} outputs are not supported (one of each)");
        var layers = new List<KerasLayer>();
        int[]? inputShape = null;
        var position = 0;
        foreach (var element in config.GetProperty("layers").EnumerateArray())
        {
            var inbound = Inbound(element);
            var layer = Read(element, ++position, inbound);
            if (layer.ClassName == "InputLayer")
            {
                if (layer.Name == inputs[0]) inputShape = BatchShape(layer);
                continue;
            }
            layers.Add(layer);
        }
        if (inputShape is null) throw UserInputException.InFile(path, $"input layer '{inputs[0]}' has no batch_input_shape");
        return new KerasModelConfig(name, layers, inputShape, inputs[0], outputs[0]);
    }

    /// <summary>The name Sequential models use for their (implicit) input.</summary>
    public const string InputName = "input";

    private static KerasLayer Read(JsonElement element, int position, string[] inbound)
    {
        var config = element.GetProperty("config");
        return new KerasLayer(position, element.GetProperty("class_name").GetString()!, config.GetProperty("name").GetString()!, config.Clone(), inbound);
    }

    /// <summary>batch_input_shape (Keras 2) or batch_shape (Keras 3) without the batch axis.</summary>
    private static int[]? BatchShape(KerasLayer layer)
    {
        foreach (var key in new[] { "batch_input_shape", "batch_shape" })
        {
            if (layer.Has(key))
                return layer.Config.GetProperty(key).EnumerateArray().Skip(1)
                    .Select(d => d.ValueKind == JsonValueKind.Number ? d.GetInt32() : -1).ToArray();
        }
        return null;
    }

    /// <summary>inbound_nodes in Keras 2 form [[["name", 0, 0, {}], ...]] or Keras 3 form [{"args": [{"config": {"keras_history": ["name", 0, 0]}}]}].</summary>
    private static string[] Inbound(JsonElement layer)
    {
        if (!layer.TryGetProperty("inbound_nodes", out var nodes) || nodes.GetArrayLength() == 0) return [];
        var first = nodes[0];
        if (first.ValueKind == JsonValueKind.Array) return first.EnumerateArray().Select(r => r[0].GetString()!).ToArray();
        var names = new List<string>();
        CollectHistory(first, names);
        return names.ToArray();
    }

    private static void CollectHistory(JsonElement element, List<string> names)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Name == "keras_history") names.Add(property.Value[0].GetString()!);
                    else CollectHistory(property.Value, names);
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray()) CollectHistory(item, names);
                break;
        }
    }

    private static string[] LayerRefs(JsonElement refs)
    {
        // [["input_1", 0, 0]] or, for a single tensor in Keras 3, ["input_1", 0, 0].
        if (refs.GetArrayLength() > 0 && refs[0].ValueKind == JsonValueKind.String) return [refs[0].GetString()!];
        return refs.EnumerateArray().Select(r => r[0].GetString()!).ToArray();
    }
}
