using AudioPrune.Graph;
using AudioPrune.Graph.Nodes;
using Onnx;

namespace AudioPrune.Interop.Onnx.Import.Converters;

/// <summary>Gemm (PyTorch's Linear: transB 1) and MatMul of a vector by a constant matrix, as a linear layer of PyTorch layout.</summary>
internal sealed class LinearConverter : IOnnxConverter
{
    public IReadOnlyList<string> Ops { get; } = ["Gemm", "MatMul"];

    public void Convert(OnnxConversion c, NodeProto node)
    {
        var (input, shape) = c.Value(node, 0);
        if (shape.Rank != 1) throw c.Fail(node, $"reads a {shape} tensor; a linear layer needs N x features (add a flatten)");
        if (node.Int("transA", 0) != 0) throw c.Fail(node, "has transA 1, which is not supported");
        var matrix = c.Constant(node, 1, "weight");
        if (matrix.Dims.Length != 2) throw c.Fail(node, "needs a 2-D constant weight");
        var transposed = node.OpType == "Gemm" && node.Int("transB", 0) != 0;
        var weight = transposed ? matrix.ToTensor() : Transpose(matrix);
        var alpha = (float)node.Float("alpha", 1);
        if (alpha != 1) weight = new TensorData(weight.Shape, weight.Data.Select(v => v * alpha).ToArray());
        var bias = node.OpType == "Gemm" ? Bias(c, node, weight.Shape[0]) : null;
        var linear = new LinearNode
        {
            Name = c.Names.For(node.Name, node.Input[1]), Inputs = [input], InFeatures = weight.Shape[1], OutFeatures = weight.Shape[0], Bias = bias is not null,
        };
        if (bias is null) c.Emit(node, node.Output[0], linear, ("weight", weight));
        else c.Emit(node, node.Output[0], linear, ("weight", weight), ("bias", bias));
    }

    /// <summary>Gemm's C times beta, as one value per output (a scalar or [1, out] is broadcast).</summary>
    private static TensorData? Bias(OnnxConversion c, NodeProto node, int outputs)
    {
        if (node.OptionalInput(2) is null) return null;
        var values = c.Constant(node, 2, "bias").AsFloats();
        var beta = (float)node.Float("beta", 1);
        if (values.Length == 1) values = Enumerable.Repeat(values[0], outputs).ToArray();
        if (values.Length != outputs) throw c.Fail(node, $"has {values.Length} biases for {outputs} outputs");
        return new TensorData([outputs], values.Select(v => v * beta).ToArray());
    }

    private static TensorData Transpose(OnnxConstant matrix)
    {
        var (rows, columns) = (matrix.Dims[0], matrix.Dims[1]);
        var source = matrix.AsFloats();
        var data = new float[source.Length];
        for (var r = 0; r < rows; r++)
            for (var col = 0; col < columns; col++) data[col * rows + r] = source[r * columns + col];
        return new TensorData([columns, rows], data);
    }
}
