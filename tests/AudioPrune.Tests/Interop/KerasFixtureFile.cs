using System.Text.Json;
using PureHDF;

namespace AudioPrune.Tests.Interop;

/// <summary>
/// Writes small Keras-2.3-layout .h5 files for tests: a model_config JSON attribute and model_weights/&lt;layer&gt;/&lt;layer&gt;/name:0
/// datasets listed by each layer's weight_names attribute.
/// </summary>
internal static class KerasFixtureFile
{
    public sealed record Tensor(string Name, int[] Shape, float[] Data)
    {
        public static Tensor Random(string name, int[] shape, Random random) =>
            new(name, shape, Enumerable.Range(0, shape.Aggregate(1, (a, d) => a * d)).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray());
    }

    public sealed record Layer(string ClassName, object Config, IReadOnlyList<Tensor> Weights);

    /// <summary>A Sequential model of the given layers; the first gets batch_input_shape [null, ...inputHwc].</summary>
    public static void WriteSequential(string path, int[] inputHwc, IReadOnlyList<Layer> layers)
    {
        var configs = layers.Select((l, i) =>
        {
            var config = JsonSerializer.SerializeToNode(l.Config)!.AsObject();
            if (i == 0) config["batch_input_shape"] = JsonSerializer.SerializeToNode(new int?[] { null }.Concat(inputHwc.Select(d => (int?)d)).ToArray());
            return new { class_name = l.ClassName, config };
        }).ToArray();
        var json = JsonSerializer.Serialize(new { class_name = "Sequential", config = new { name = "sequential", layers = configs } });
        Write(path, json, layers.Select(l => (Name(l), l.Weights)).ToArray());
    }

    public static void Write(string path, string modelConfig, IReadOnlyList<(string Layer, IReadOnlyList<Tensor> Weights)> layers)
    {
        var weights = new H5Group
        {
            Attributes = new Dictionary<string, object>
            {
                ["layer_names"] = layers.Select(l => l.Layer).ToArray(),
                ["backend"] = "tensorflow",
                ["keras_version"] = "2.3.0",
            },
        };
        foreach (var (layer, tensors) in layers)
        {
            var inner = new H5Group();
            foreach (var t in tensors) inner[$"{t.Name}:0"] = new H5Dataset(t.Data, fileDims: t.Shape.Select(d => (ulong)d).ToArray());
            var group = new H5Group
            {
                Attributes = new Dictionary<string, object> { ["weight_names"] = tensors.Select(t => $"{layer}/{t.Name}:0").ToArray() },
            };
            if (tensors.Count > 0) group[layer] = inner;
            weights[layer] = group;
        }
        var file = new H5File
        {
            Attributes = new Dictionary<string, object> { ["model_config"] = modelConfig, ["keras_version"] = "2.3.0" },
            ["model_weights"] = weights,
        };
        file.Write(path);
    }

    private static string Name(Layer layer) => JsonSerializer.SerializeToElement(layer.Config).GetProperty("name").GetString()!;
}
