namespace AudioPrune.Graph;

/// <summary>A dense float32 tensor in row-major order, independent of any tensor library.</summary>
public sealed class TensorData
{
    public TensorData(int[] shape, float[] data)
    {
        var elements = shape.Aggregate(1L, (a, d) => d < 0 ? -1 : a * d);
        if (elements != data.Length)
            throw new ArgumentException($"shape [{string.Join(',', shape)}] needs {elements} values, got {data.Length}");
        Shape = (int[])shape.Clone();
        Data = data;
    }

    public int[] Shape { get; }
    public float[] Data { get; }
    public long Elements => Data.Length;

    public static TensorData Zeros(params int[] shape) => new(shape, new float[shape.Aggregate(1, (a, d) => a * d)]);

    public static TensorData Filled(float value, params int[] shape)
    {
        var data = new float[shape.Aggregate(1, (a, d) => a * d)];
        Array.Fill(data, value);
        return new TensorData(shape, data);
    }

    public bool ShapeEquals(IReadOnlyList<int> other) => Shape.AsSpan().SequenceEqual(other.ToArray());

    public string ShapeText => $"[{string.Join(", ", Shape)}]";

    /// <summary>Index of the first NaN or infinite value, or -1.</summary>
    public int FirstNonFinite()
    {
        for (var i = 0; i < Data.Length; i++)
        {
            if (!float.IsFinite(Data[i])) return i;
        }
        return -1;
    }

    public TensorData Clone() => new(Shape, (float[])Data.Clone());
}
