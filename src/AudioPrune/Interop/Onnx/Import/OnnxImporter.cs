using System.Text.Json;
using AudioPrune.Common;
using AudioPrune.Graph;
using AudioPrune.Graph.Nodes;
using Onnx;

namespace AudioPrune.Interop.Onnx.Import;

/// <summary>
/// Imports a CNN that PyTorch (or another tool) exported to ONNX as an AudioPrune model: the file is read and checked
/// (<see cref="OnnxFileReader"/>), constants are read (<see cref="OnnxTensorReader"/>) and folded
/// (<see cref="OnnxConstantFolding"/>), multi-node activations fused (<see cref="OnnxPatternFusion"/>), and every other node
/// converted by the converter registered for its op type (<see cref="OnnxConverters"/>), named by <see cref="OnnxLayerNames"/>.
/// Labels are numbered; the provenance records the file, producer and opset.
/// </summary>
internal static class OnnxImporter
{
    public static ModelArtifact Import(string path)
    {
        var model = OnnxFileReader.Read(path);
        var (inputName, inputShape) = OnnxFileReader.Input(model, path);
        var tensors = new OnnxTensorReader(path);
        var conversion = new OnnxConversion(path, OnnxFileReader.Opset(model), Initializers(model, tensors));
        conversion.DefineInput(inputName, inputShape);
        var nodes = ConstantNodesRead(model.Graph.Node, conversion, tensors);
        nodes = OnnxPatternFusion.Fuse(nodes, model.Graph.Output.Select(o => o.Name), t => conversion.ConstantOrNull(t)?.Scalar);
        OnnxConverters.CheckSupported(path, nodes);
        conversion.Readers = Readers(nodes, model.Graph.Output.Select(o => o.Name));
        foreach (var node in nodes)
        {
            if (!OnnxConstantFolding.TryFold(conversion, node, tensors)) OnnxConverters.Convert(conversion, node);
        }
        var graph = Graph(conversion, model.Graph.Output[0].Name, inputShape);
        var used = graph.ParameterTensors.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var weights = new WeightMap(conversion.Weights.Entries.Where(e => used.Contains(e.Key)));
        return ModelArtifact.Create(graph, weights, metadata: new Dictionary<string, string> { [ModelArtifact.ProvenanceKey] = Provenance(path, model) });
    }

    /// <summary>Whether an .onnx file is one the exporter wrote (its graph is in metadata_props), which ONNX Runtime runs as it is.</summary>
    public static bool IsAudioPruneExport(string path) =>
        OnnxFileReader.TryMetadata(path) is { } metadata && metadata.ContainsKey(OnnxExporter.GraphKey);

    private static Dictionary<string, OnnxConstant> Initializers(ModelProto model, OnnxTensorReader tensors)
    {
        var constants = new Dictionary<string, OnnxConstant>(StringComparer.Ordinal);
        foreach (var initializer in model.Graph.Initializer) constants[initializer.Name] = tensors.Read(initializer);
        return constants;
    }

    /// <summary>Reads the Constant nodes first (the pattern fusion looks at their values) and returns the other nodes.</summary>
    private static List<NodeProto> ConstantNodesRead(IEnumerable<NodeProto> nodes, OnnxConversion conversion, OnnxTensorReader tensors)
    {
        var rest = new List<NodeProto>();
        foreach (var node in nodes)
        {
            if (node.OpType != "Constant" || !OnnxConstantFolding.TryFold(conversion, node, tensors)) rest.Add(node);
        }
        return rest;
    }

    private static Dictionary<string, int> Readers(IEnumerable<NodeProto> nodes, IEnumerable<string> outputs)
    {
        var readers = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var tensor in nodes.SelectMany(n => n.Input).Concat(outputs)) readers[tensor] = readers.GetValueOrDefault(tensor) + 1;
        return readers;
    }

    /// <summary>The nodes the output depends on, in order, ending with the output; a graph without a convolution is refused.</summary>
    private static NetworkGraph Graph(OnnxConversion conversion, string output, Shape input)
    {
        var path = conversion.Path;
        var last = conversion.ProducerOf(output);
        if (last is null or NetworkGraph.InputName) throw UserInputException.InFile(path, $"the graph output '{output}' is not computed from the input by supported nodes");
        var needed = Ancestors(conversion.Nodes, last);
        var nodes = conversion.Nodes.Where(n => needed.Contains(n.Name)).ToArray();
        if (!nodes.OfType<Conv2dNode>().Any()) throw UserInputException.InFile(path, "the graph has no Conv node, so there is nothing to prune as a CNN");
        try
        {
            return new NetworkGraph(System.IO.Path.GetFileNameWithoutExtension(path), input, nodes);
        }
        catch (GraphException e)
        {
            throw UserInputException.InFile(path, e.Message);
        }
    }

    private static HashSet<string> Ancestors(IReadOnlyList<Node> nodes, string last)
    {
        var byName = nodes.ToDictionary(n => n.Name, StringComparer.Ordinal);
        var needed = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([last]);
        while (pending.TryPop(out var name))
        {
            if (!byName.TryGetValue(name, out var node) || !needed.Add(name)) continue;
            foreach (var input in node.Inputs) pending.Push(input);
        }
        return needed;
    }

    private static string Provenance(string path, ModelProto model) => JsonSerializer.Serialize(new Dictionary<string, string>
    {
        ["imported_from"] = System.IO.Path.GetFileName(path),
        ["format"] = "onnx",
        ["producer"] = $"{model.ProducerName} {model.ProducerVersion}".Trim(),
        ["opset"] = OnnxFileReader.Opset(model).ToString(System.Globalization.CultureInfo.InvariantCulture),
    });
}
