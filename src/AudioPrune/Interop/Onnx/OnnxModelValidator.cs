using Onnx;

namespace AudioPrune.Interop.Onnx;

/// <summary>
/// Structural checks of an ONNX model before it is written: IR version and default-domain opset present,
/// every node input defined before use (graph input, initializer or an earlier node's output), every output
/// produced once, and every value_info/output a float tensor with a symbolic batch axis and fixed other axes.
/// </summary>
internal static class OnnxModelValidator
{
    public static void Validate(ModelProto model)
    {
        var problems = Problems(model).ToList();
        if (problems.Count > 0) throw new InvalidOperationException($"invalid ONNX model: {string.Join("; ", problems)}");
    }

    public static IEnumerable<string> Problems(ModelProto model)
    {
        if (model.IrVersion < 3) yield return $"ir_version {model.IrVersion} is too old";
        if (!model.OpsetImport.Any(o => o.Domain.Length == 0 && o.Version > 0)) yield return "no opset import for the default domain";
        var graph = model.Graph;
        if (graph is null)
        {
            yield return "no graph";
            yield break;
        }
        var defined = new HashSet<string>(StringComparer.Ordinal);
        foreach (var input in graph.Input) defined.Add(input.Name);
        foreach (var initializer in graph.Initializer)
        {
            if (!defined.Add(initializer.Name)) yield return $"initializer '{initializer.Name}' is defined twice";
        }
        foreach (var node in graph.Node)
        {
            foreach (var input in node.Input.Where(i => i.Length > 0 && !defined.Contains(i)))
                yield return $"node '{node.Name}' ({node.OpType}) reads '{input}' before it is defined";
            foreach (var output in node.Output)
            {
                if (!defined.Add(output)) yield return $"node '{node.Name}' writes '{output}', which is already defined";
            }
        }
        if (graph.Output.Count == 0) yield return "the graph has no output";
        foreach (var value in graph.Output.Concat(graph.ValueInfo).Concat(graph.Input))
        {
            if (!defined.Contains(value.Name)) yield return $"value '{value.Name}' is described but never produced";
            var tensor = value.Type?.TensorType;
            if (tensor is null || tensor.Shape is null || tensor.Shape.Dim.Count < 2)
            {
                yield return $"value '{value.Name}' has no tensor shape with a batch axis";
                continue;
            }
            if (tensor.Shape.Dim[0].DimParam.Length == 0) yield return $"value '{value.Name}' has no symbolic batch axis";
            if (tensor.Shape.Dim.Skip(1).Any(d => d.DimValue <= 0)) yield return $"value '{value.Name}' has a non-positive axis";
        }
    }
}
