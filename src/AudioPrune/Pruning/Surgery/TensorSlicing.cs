using AudioPrune.Graph;

namespace AudioPrune.Pruning.Surgery;

/// <summary>Selects indices along one axis of a row-major tensor (the copy behind every surgery step).</summary>
internal static class TensorSlicing
{
    public static TensorData Select(TensorData tensor, int axis, IReadOnlyList<int> indices)
    {
        var shape = tensor.Shape;
        var outer = 1;
        for (var a = 0; a < axis; a++) outer *= shape[a];
        var inner = 1;
        for (var a = axis + 1; a < shape.Length; a++) inner *= shape[a];
        var length = shape[axis];
        var newShape = (int[])shape.Clone();
        newShape[axis] = indices.Count;
        var data = new float[outer * indices.Count * inner];
        if (inner == 1) Gather(tensor.Data, length, indices, data);
        else
        {
            for (var o = 0; o < outer; o++)
            {
                for (var k = 0; k < indices.Count; k++)
                {
                    Array.Copy(tensor.Data, (o * length + indices[k]) * inner, data, (o * indices.Count + k) * inner, inner);
                }
            }
        }
        return new TensorData(newShape, data);
    }

    /// <summary>
    /// The last axis (a 1x1 conv's input channels, a linear layer's features): element by element, because a copy
    /// call per single value cost most of the surgery on mobilenet_v2.
    /// </summary>
    private static void Gather(float[] source, int length, IReadOnlyList<int> indices, float[] target)
    {
        var chosen = indices as int[] ?? indices.ToArray();
        for (int o = 0, t = 0; t < target.Length; o += length)
        {
            var row = source.AsSpan(o, length);
            foreach (var index in chosen) target[t++] = row[index];
        }
    }
}
