using AudioPrune.Graph.Nodes;
using Onnx;

namespace AudioPrune.Interop.Onnx.Import.Converters;

/// <summary>Flatten(axis 1) and Reshape to [N, -1] (torch.flatten(x, 1), x.view(x.size(0), -1)): a channel-major flatten.</summary>
internal sealed class ReshapeConverter : IOnnxConverter
{
    public IReadOnlyList<string> Ops { get; } = ["Flatten", "Reshape"];

    public void Convert(OnnxConversion c, NodeProto node)
    {
        var (input, shape) = c.Value(node, 0);
        if (node.OpType == "Flatten" && node.Int("axis", 1) != 1) throw c.Fail(node, "flattens from an axis other than 1");
        if (node.OpType == "Reshape" && !FlattensToBatchRows(c.Constant(node, 1, "shape").AsInts(), shape.Elements))
            throw c.Fail(node, "is supported only as a flatten to [batch, -1]");
        c.Emit(node, node.Output[0], new FlattenNode { Name = c.Names.For(node.Name), Inputs = [input] });
    }

    /// <summary>[batch or 0, -1 or every element]: one row per example.</summary>
    private static bool FlattensToBatchRows(long[] target, long elements) =>
        target is [var rows, var columns] && rows is OnnxConstant.Batch or 0 && (columns == -1 || columns == elements)
        || target is [-1, var all] && all == elements;
}
