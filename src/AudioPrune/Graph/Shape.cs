namespace AudioPrune.Graph;

/// <summary>
/// The shape of one example's tensor, without the batch axis: [C, H, W] for feature maps, [N] for vectors.
/// Axis 0 is always the channel (or feature) axis, the one pruning changes.
/// </summary>
internal sealed class Shape : IEquatable<Shape>
{
    private readonly int[] dims;

    public Shape(params int[] dims)
    {
        if (dims.Length == 0) throw new ArgumentException("a shape needs at least one axis");
        if (dims.Any(d => d <= 0)) throw new ArgumentException($"shape {Format(dims)} has an axis of size <= 0");
        this.dims = (int[])dims.Clone();
    }

    public int Rank => dims.Length;
    public int this[int axis] => dims[axis];
    public int Channels => dims[0];
    public IReadOnlyList<int> Dims => dims;

    /// <summary>Elements per example (product of all axes).</summary>
    public long Elements => dims.Aggregate(1L, (a, d) => a * d);

    /// <summary>Elements per channel: H*W for a feature map, 1 for a vector.</summary>
    public long ElementsPerChannel => Elements / dims[0];

    public Shape WithChannels(int channels)
    {
        var copy = (int[])dims.Clone();
        copy[0] = channels;
        return new Shape(copy);
    }

    public int[] ToArray() => (int[])dims.Clone();

    /// <summary>Parses "1x40x500" (or "1,40,500").</summary>
    public static Shape Parse(string text)
    {
        var parts = text.Split(['x', 'X', ',', '*'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var values = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], out values[i]) || values[i] <= 0)
                throw new FormatException($"'{text}' is not a shape like 1x40x500 (positive whole numbers separated by x)");
        }
        if (values.Length == 0) throw new FormatException($"'{text}' is not a shape like 1x40x500");
        return new Shape(values);
    }

    public bool Equals(Shape? other) => other is not null && dims.AsSpan().SequenceEqual(other.dims);
    public override bool Equals(object? obj) => Equals(obj as Shape);
    public override int GetHashCode() => dims.Aggregate(17, (h, d) => h * 31 + d);
    public override string ToString() => Format(dims);

    private static string Format(int[] values) => string.Join('x', values);
}
