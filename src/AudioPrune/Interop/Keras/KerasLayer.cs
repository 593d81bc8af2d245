using System.Text.Json;

namespace AudioPrune.Interop.Keras;

/// <summary>One layer of a Keras model config: its class, name, settings and the layers it reads.</summary>
internal sealed record KerasLayer(int Position, string ClassName, string Name, JsonElement Config, string[] Inbound)
{
    public bool Has(string key) => Config.TryGetProperty(key, out var v) && v.ValueKind != JsonValueKind.Null;

    public string? String(string key) => Has(key) ? Config.GetProperty(key).GetString() : null;

    public bool Bool(string key, bool fallback) => Has(key) ? Config.GetProperty(key).GetBoolean() : fallback;

    public double Double(string key, double fallback) => Has(key) ? Config.GetProperty(key).GetDouble() : fallback;

    public int Int(string key) => Config.GetProperty(key).GetInt32();

    /// <summary>A setting that Keras writes as a number or as a list of numbers (kernel_size, strides, axis).</summary>
    public int[]? Ints(string key)
    {
        if (!Has(key)) return null;
        var value = Config.GetProperty(key);
        return value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().Select(e => e.GetInt32()).ToArray() : [value.GetInt32()];
    }

    /// <summary>"layer 3 (Conv2D 'conv2d_1')": how messages point at a layer.</summary>
    public string Describe => $"layer {Position} ({ClassName} '{Name}')";
}
