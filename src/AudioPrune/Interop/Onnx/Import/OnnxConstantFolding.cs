using Onnx;

namespace AudioPrune.Interop.Onnx.Import;

/// <summary>
/// Evaluates the nodes whose result is known before the model runs: Constant nodes, the Shape of a feature map (its
/// batch entry is <see cref="OnnxConstant.Batch"/>), and Identity, Cast, Gather, Unsqueeze, Squeeze and Concat of
/// constants: the chains PyTorch writes for x.view(x.size(0), -1), and aliases of shared initializers.
/// </summary>
internal static class OnnxConstantFolding
{
    public static readonly string[] Ops = ["Constant", "Shape", "Gather", "Unsqueeze", "Squeeze", "Cast"];

    private static readonly HashSet<string> OfConstants = new(StringComparer.Ordinal) { "Identity", "Cast", "Gather", "Unsqueeze", "Squeeze", "Concat" };

    /// <summary>Folds the node into constants when it can; false leaves it to the converters.</summary>
    public static bool TryFold(OnnxConversion c, NodeProto node, OnnxTensorReader tensors)
    {
        OnnxConstant? value = node.OpType switch
        {
            "Constant" => ConstantNode(c, node, tensors),
            "Shape" when c.IsGraphValue(node.Input[0]) => ShapeOf(c, node),
            _ when OfConstants.Contains(node.OpType) && node.Input.Where(i => i.Length > 0).All(c.IsConstant) => Evaluate(c, node),
            _ => null,
        };
        if (value is null) return false;
        if (value.Elements > Common.InputLimits.MaxOnnxTensorElements) throw c.Fail(node, "computes a tensor beyond the size limit");
        c.SetConstant(node.Output[0], value);
        return true;
    }

    private static OnnxConstant ConstantNode(OnnxConversion c, NodeProto node, OnnxTensorReader tensors)
    {
        var attribute = node.Attribute.FirstOrDefault() ?? throw c.Fail(node, "has no value");
        return attribute.Name switch
        {
            "value" => tensors.Read(attribute.T),
            "value_float" => OnnxConstant.OfFloats([], [attribute.F]),
            "value_floats" => OnnxConstant.OfFloats([attribute.Floats.Count], attribute.Floats.ToArray()),
            "value_int" => OnnxConstant.OfInts([], [attribute.I]),
            "value_ints" => OnnxConstant.OfInts([attribute.Ints.Count], attribute.Ints.ToArray()),
            _ => throw c.Fail(node, $"has a '{attribute.Name}' value, which is not supported"),
        };
    }

    private static OnnxConstant ShapeOf(OnnxConversion c, NodeProto node)
    {
        var (_, shape) = c.Value(node, 0);
        long[] dims = [OnnxConstant.Batch, .. shape.Dims.Select(d => (long)d)];
        return OnnxConstant.OfInts([dims.Length], dims);
    }

    private static OnnxConstant Evaluate(OnnxConversion c, NodeProto node)
    {
        var inputs = node.Input.Select(i => c.ConstantOrNull(i)!).ToArray();
        var x = inputs[0];
        return node.OpType switch
        {
            "Identity" => x,
            "Cast" => node.Int("to", 1) is 1 or 11 ? OnnxConstant.OfFloats(x.Dims, x.AsFloats()) : OnnxConstant.OfInts(x.Dims, x.AsInts()),
            "Gather" => Gather(c, node, x, inputs[1]),
            "Unsqueeze" => x.WithDims(Unsqueezed(c, node, x.Dims, Axes(node, inputs))),
            "Squeeze" => x.WithDims(x.Dims.Where(d => d != 1).ToArray()),
            _ => Concatenated(c, node, inputs),
        };
    }

    private static long[] Axes(NodeProto node, OnnxConstant[] inputs) => node.Ints("axes") ?? (inputs.Length > 1 ? inputs[1].AsInts() : []);

    private static int[] Unsqueezed(OnnxConversion c, NodeProto node, int[] dims, long[] axes)
    {
        var rank = dims.Length + axes.Length;
        var normal = axes.Select(a => a < 0 ? a + rank : a).ToHashSet();
        if (normal.Any(a => a < 0 || a >= rank)) throw c.Fail(node, "has an axis outside the result");
        var source = dims.AsEnumerable().GetEnumerator();
        return Enumerable.Range(0, rank).Select(a => normal.Contains(a) ? 1 : source.MoveNext() ? source.Current : 1).ToArray();
    }

    /// <summary>Gather on axis 0 of a 1-D constant (an entry of a shape).</summary>
    private static OnnxConstant Gather(OnnxConversion c, NodeProto node, OnnxConstant data, OnnxConstant indices)
    {
        if (node.Int("axis", 0) != 0 || data.Dims.Length != 1) throw c.Fail(node, "is supported on axis 0 of a 1-D constant only");
        var values = data.AsInts();
        var picked = indices.AsInts().Select(i => i < 0 ? i + values.Length : i).ToArray();
        if (picked.Any(i => i < 0 || i >= values.Length)) throw c.Fail(node, "has an index outside its data");
        return OnnxConstant.OfInts(indices.Dims, picked.Select(i => values[i]).ToArray());
    }

    /// <summary>Concat of 1-D constants (a shape being assembled).</summary>
    private static OnnxConstant Concatenated(OnnxConversion c, NodeProto node, OnnxConstant[] inputs)
    {
        if (inputs.Any(i => i.Dims.Length > 1)) throw c.Fail(node, "is supported on 1-D constants or on feature maps");
        if (inputs.All(i => !i.IsInteger))
        {
            var floats = inputs.SelectMany(i => i.Floats!).ToArray();
            return OnnxConstant.OfFloats([floats.Length], floats);
        }
        var values = inputs.SelectMany(i => i.AsInts()).ToArray();
        return OnnxConstant.OfInts([values.Length], values);
    }
}
