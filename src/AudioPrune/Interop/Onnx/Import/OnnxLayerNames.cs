using System.Text;
using AudioPrune.Graph;

namespace AudioPrune.Interop.Onnx.Import;

/// <summary>
/// Names the imported layers as users know them. A layer with a weight is named after the weight's source name without
/// ".weight", which PyTorch keeps as the state_dict name ("layer1.0.conv1"), so the parameters are named exactly as in
/// PyTorch. Other layers, and layers whose weight PyTorch renamed (the "onnx::Conv_12" of a folded batch norm), take the
/// module path that PyTorch writes into the node name ("/layer2/layer2.0/relu/Relu" gives "layer2.0.relu"), or the
/// node name itself for a node outside any module ("/Flatten" gives "Flatten"). Names stay unique ("_2" appended).
/// </summary>
internal sealed class OnnxLayerNames
{
    private readonly HashSet<string> used = new(StringComparer.Ordinal) { NetworkGraph.InputName };

    public string For(string onnxNodeName, string? weightName = null)
    {
        var fromWeight = weightName is not null && weightName.EndsWith(".weight", StringComparison.Ordinal) ? weightName[..^".weight".Length] : null;
        var stem = NetworkGraph.IsValidNodeName(fromWeight) ? fromWeight! : FromNodeName(onnxNodeName);
        var name = stem;
        for (var i = 2; !used.Add(name); i++) name = $"{stem}_{i}";
        return name;
    }

    /// <summary>The module path in a PyTorch node name, each scope segment extending or adding to the path; else the name made valid.</summary>
    public static string FromNodeName(string onnxNodeName)
    {
        var segments = onnxNodeName.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var path = new List<string>();
        foreach (var segment in segments.Length > 1 ? segments[..^1] : [])
        {
            if (path.Count > 0 && segment.StartsWith(path[^1] + ".", StringComparison.Ordinal)) path[^1] = segment;
            else path.Add(segment);
        }
        var joined = string.Join('.', path);
        if (NetworkGraph.IsValidNodeName(joined)) return joined;
        return Sanitized(segments.Length > 0 ? segments[^1] : onnxNodeName);
    }

    private static string Sanitized(string text)
    {
        var builder = new StringBuilder();
        foreach (var c in text) builder.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        var name = builder.ToString().Trim('_');
        return name.Length > 0 && char.IsAsciiLetter(name[0]) ? name : "node_" + name;
    }
}
