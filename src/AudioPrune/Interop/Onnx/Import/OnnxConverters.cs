using AudioPrune.Interop.Onnx.Import.Converters;
using Onnx;

namespace AudioPrune.Interop.Onnx.Import;

/// <summary>The registry of converters by ONNX op type, and the list of what is supported that refusals name.</summary>
internal static class OnnxConverters
{
    private static readonly IOnnxConverter[] All =
    [
        new ConvConverter(), new BatchNormConverter(), new ActivationConverter(), new PoolConverter(), new ArithmeticConverter(),
        new ChannelConverter(), new ReshapeConverter(), new LinearConverter(), new PassThroughConverter(),
    ];

    private static readonly Dictionary<string, IOnnxConverter> ByOp =
        All.SelectMany(c => c.Ops.Select(op => (op, c))).ToDictionary(e => e.op, e => e.c, StringComparer.Ordinal);

    /// <summary>The op types a user's model may contain, sorted, for error messages and documentation.</summary>
    public static IReadOnlyList<string> Supported { get; } = ByOp.Keys.Where(op => !OnnxPatternFusion.InternalOps.Contains(op))
        .Concat(OnnxConstantFolding.Ops).Concat(OnnxPatternFusion.PatternOps).Distinct().Order(StringComparer.Ordinal).ToArray();

    /// <summary>
    /// Refuses a graph with op types no converter knows before any is converted, naming the first node of each such op
    /// type (an LSTM's export brings Transpose and Squeeze with it; all are named, so the user sees the LSTM too).
    /// </summary>
    public static void CheckSupported(string path, IEnumerable<NodeProto> nodes)
    {
        var known = Supported.Concat(OnnxPatternFusion.InternalOps).Except(OnnxPatternFusion.PatternOps).ToHashSet(StringComparer.Ordinal);
        var unsupported = nodes.Where(n => !known.Contains(n.OpType)).DistinctBy(n => n.OpType).ToArray();
        if (unsupported.Length == 0) return;
        var named = string.Join(", ", unsupported.Select(n => $"node '{n.Label()}' ({n.OpType})"));
        var verb = unsupported.Length == 1 ? "is" : "are";
        throw UserInputException.InFile(path, $"{named} {verb} not supported; supported: {string.Join(", ", Supported)}");
    }

    public static void Convert(OnnxConversion c, NodeProto node)
    {
        if (OnnxPatternFusion.PatternOps.Contains(node.OpType))
            throw c.Fail(node, $"is supported only in the form PyTorch exports GELU (x * 0.5 * (1 + erf(x / sqrt 2)))");
        if (!ByOp.TryGetValue(node.OpType, out var converter))
            throw c.Fail(node, $"is not supported; supported: {string.Join(", ", Supported)}");
        converter.Convert(c, node);
    }
}
