using System.Numerics;
using System.Runtime.CompilerServices;

namespace AudioPrune.Graph;

/// <summary>A dense float32 tensor in row-major order, independent of any tensor library.</summary>
internal sealed class TensorData
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

    /// <summary>
    /// Index of the first NaN or infinite value, or -1. The common answer (all finite) comes from a SIMD scan, on every
    /// core for a wide tensor (a CNN14 layer is 19 M values, and the element-wise loop took longer than its prototypes);
    /// only a tensor that fails it is searched element by element for the position.
    /// </summary>
    public int FirstNonFinite()
    {
        if (AllFinite(Data)) return -1;
        for (var i = 0; i < Data.Length; i++)
        {
            if (!float.IsFinite(Data[i])) return i;
        }
        return -1;
    }

    private static bool AllFinite(float[] values)
    {
        const int Chunk = 1 << 20;
        if (values.Length <= Chunk) return AllFinite(values.AsSpan());
        var finite = true;
        Parallel.For(0, (values.Length + Chunk - 1) / Chunk, (c, state) =>
        {
            if (!AllFinite(values.AsSpan(c * Chunk, Math.Min(Chunk, values.Length - c * Chunk))))
            {
                finite = false;
                state.Stop();
            }
        });
        return finite;
    }

    /// <summary>x * 0 is 0 for every finite x and NaN otherwise, and a NaN stays in the sum.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool AllFinite(ReadOnlySpan<float> values)
    {
        var sum = Vector<float>.Zero;
        var i = 0;
        for (; i + Vector<float>.Count <= values.Length; i += Vector<float>.Count) sum += new Vector<float>(values.Slice(i, Vector<float>.Count)) * Vector<float>.Zero;
        var total = Vector.Sum(sum);
        for (; i < values.Length; i++) total += values[i] * 0;
        return total == 0;
    }

    public TensorData Clone() => new(Shape, (float[])Data.Clone());
}
