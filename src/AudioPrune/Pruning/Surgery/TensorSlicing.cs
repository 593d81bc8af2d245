using AudioPrune.Graph;

namespace AudioPrune.Pruning.Surgery;

/// <summary>Selects indices along one axis of a row-major tensor (the copy behind every surgery step).</summary>
public static class TensorSlicing
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
        for (var o = 0; o < outer; o++)
        {
            for (var k = 0; k < indices.Count; k++)
            {
                Array.Copy(tensor.Data, (o * length + indices[k]) * inner, data, (o * indices.Count + k) * inner, inner);
            }
        }
        return new TensorData(newShape, data);
    }
}
