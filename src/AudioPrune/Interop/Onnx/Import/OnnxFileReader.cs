using AudioPrune.Common;
using AudioPrune.Graph;
using Google.Protobuf;
using Onnx;

namespace AudioPrune.Interop.Onnx.Import;

/// <summary>
/// Reads an ONNX file whole (at most <see cref="InputLimits.MaxOnnxModelBytes"/>) and checks what the importer relies
/// on: a model with a graph of at most <see cref="InputLimits.MaxOnnxNodes"/> nodes in the default domain, an opset from
/// <see cref="MinOpset"/> on, one float input N x C x H x W whose C, H and W are fixed, and one output.
/// </summary>
internal static class OnnxFileReader
{
    public const int MinOpset = 11;

    public static ModelProto Read(string path)
    {
        var bytes = InputFile.ReadAllBytes(path, InputLimits.MaxOnnxModelBytes, "ONNX model");
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw UserInputException.InFile(path, $"not a readable ONNX model (truncated or another kind of file: {e.Message.ReplaceLineEndings(" ")})");
        }
        Check(model, path);
        return model;
    }

    /// <summary>The metadata_props of a readable model, or null when the file is not one.</summary>
    public static IReadOnlyDictionary<string, string>? TryMetadata(string path)
    {
        try
        {
            var model = ModelProto.Parser.ParseFrom(InputFile.ReadAllBytes(path, InputLimits.MaxOnnxModelBytes, "ONNX model"));
            return model.MetadataProps.GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value);
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
    }

    private static void Check(ModelProto model, string path)
    {
        if (model.Graph is null || model.Graph.Node.Count == 0)
            throw UserInputException.InFile(path, "not an ONNX model with a graph (truncated or another kind of file)");
        var opset = model.OpsetImport.FirstOrDefault(o => o.Domain is "" or "ai.onnx")?.Version ?? 0;
        if (opset < MinOpset) throw UserInputException.InFile(path, $"opset {opset} is older than {MinOpset}; export again with opset_version=13 or later");
        if (model.Graph.Node.Count > InputLimits.MaxOnnxNodes)
            throw UserInputException.InFile(path, $"the graph has {model.Graph.Node.Count:N0} nodes, more than the limit of {InputLimits.MaxOnnxNodes:N0}");
        var foreign = model.Graph.Node.FirstOrDefault(n => n.Domain is not ("" or "ai.onnx"));
        if (foreign is not null)
            throw UserInputException.InFile(path, $"node '{foreign.Label()}' ({foreign.OpType}) is in the operator domain '{foreign.Domain}'; only standard ONNX operators are supported");
        if (model.Graph.Output.Count != 1)
            throw UserInputException.InFile(path, $"the graph has {model.Graph.Output.Count} outputs; one (the class scores) is supported");
    }

    public static int Opset(ModelProto model) => (int)model.OpsetImport.First(o => o.Domain is "" or "ai.onnx").Version;

    /// <summary>The graph input (inputs that are initializers do not count, as older exporters list them too) and its C x H x W.</summary>
    public static (string Name, Shape Shape) Input(ModelProto model, string path)
    {
        var initializers = model.Graph.Initializer.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var inputs = model.Graph.Input.Where(i => !initializers.Contains(i.Name)).ToArray();
        if (inputs.Length != 1) throw UserInputException.InFile(path, $"the graph has {inputs.Length} inputs; one N x C x H x W spectrogram input is supported");
        var input = inputs[0];
        var tensor = input.Type?.TensorType;
        if (tensor is null || tensor.ElemType != (int)TensorProto.Types.DataType.Float)
            throw UserInputException.InFile(path, $"input '{input.Name}' is not a float tensor");
        var dims = tensor.Shape?.Dim.ToArray() ?? [];
        if (dims.Length != 4) throw UserInputException.InFile(path, $"input '{input.Name}' has {dims.Length} axes; N x C x H x W is supported");
        var fixedDims = dims.Skip(1).ToArray();
        if (fixedDims.Any(d => d.ValueCase != TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue || d.DimValue <= 0 || d.DimValue > int.MaxValue))
            throw UserInputException.InFile(path, $"input '{input.Name}' has a dynamic spatial shape [{string.Join(", ", dims.Select(Describe))}]; " +
                "only the batch axis may be dynamic: export with fixed channels, mel bands and frames");
        return (input.Name, new Shape(fixedDims.Select(d => (int)d.DimValue).ToArray()));
    }

    private static string Describe(TensorShapeProto.Types.Dimension d) =>
        d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue ? d.DimValue.ToString() : d.DimParam.Length > 0 ? d.DimParam : "?";
}
