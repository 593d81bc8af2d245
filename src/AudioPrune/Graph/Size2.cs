using System.Text.Json;
using System.Text.Json.Serialization;

namespace AudioPrune.Graph;

/// <summary>A (height, width) pair: kernel sizes, strides, paddings. Written in JSON as [h, w].</summary>
[JsonConverter(typeof(Size2JsonConverter))]
internal readonly record struct Size2(int H, int W)
{
    public static Size2 Square(int n) => new(n, n);
    public override string ToString() => H == W ? $"{H}" : $"{H}x{W}";
}

internal sealed class Size2JsonConverter : JsonConverter<Size2>
{
    public override Size2 Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number) return Size2.Square(reader.GetInt32());
        var values = JsonSerializer.Deserialize<int[]>(ref reader, options);
        if (values is not { Length: 2 }) throw new JsonException("expected a number or a pair [h, w]");
        return new Size2(values[0], values[1]);
    }

    public override void Write(Utf8JsonWriter writer, Size2 value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        writer.WriteNumberValue(value.H);
        writer.WriteNumberValue(value.W);
        writer.WriteEndArray();
    }
}
