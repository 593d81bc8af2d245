using AudioPrune.Graph;

namespace AudioPrune.Interop.Onnx.Import;

/// <summary>
/// A tensor whose value is known while importing: an initializer, a Constant node, or a folded shape computation.
/// Float tensors keep float32 values; integer tensors (shapes, indices, sizes) keep int64. In a shape computed from
/// the graph input, <see cref="Batch"/> stands for the batch size, which is only known when the model runs.
/// </summary>
internal sealed record OnnxConstant(int[] Dims, float[]? Floats, long[]? Ints)
{
    public const long Batch = long.MinValue;

    public long Elements => Floats?.Length ?? Ints!.Length;

    public bool IsInteger => Ints is not null;

    public static OnnxConstant OfInts(int[] dims, long[] values) => new(dims, null, values);

    public static OnnxConstant OfFloats(int[] dims, float[] values) => new(dims, values, null);

    public long[] AsInts() => Ints ?? Floats!.Select(v => (long)v).ToArray();

    public float[] AsFloats() => Floats ?? Ints!.Select(v => (float)v).ToArray();

    /// <summary>The one value of a scalar or single-element tensor, or null.</summary>
    public double? Scalar => Elements == 1 ? (IsInteger ? Ints![0] : Floats![0]) : null;

    public TensorData ToTensor() => new(Dims.Length == 0 ? [] : Dims, AsFloats());

    /// <summary>The same values under other dims (Unsqueeze, Squeeze, Reshape of constants).</summary>
    public OnnxConstant WithDims(int[] dims) => this with { Dims = dims };
}
