using System.Text;
using Onnx;

namespace AudioPrune.Interop.Onnx.Import;

/// <summary>Reads the attributes of one ONNX node, with the defaults the operator spec gives.</summary>
internal static class OnnxNodeView
{
    public static AttributeProto? Attribute(this NodeProto node, string name) => node.Attribute.FirstOrDefault(a => a.Name == name);

    public static long Int(this NodeProto node, string name, long fallback) => node.Attribute(name) is { } a ? a.I : fallback;

    public static double Float(this NodeProto node, string name, double fallback) => node.Attribute(name) is { } a ? a.F : fallback;

    public static string Text(this NodeProto node, string name, string fallback) =>
        node.Attribute(name) is { } a ? Encoding.UTF8.GetString(a.S.Span) : fallback;

    public static long[]? Ints(this NodeProto node, string name) => node.Attribute(name) is { } a ? a.Ints.ToArray() : null;

    /// <summary>Input <paramref name="index"/>, or null when the node has fewer inputs or leaves it empty (an omitted optional input).</summary>
    public static string? OptionalInput(this NodeProto node, int index) =>
        index < node.Input.Count && node.Input[index].Length > 0 ? node.Input[index] : null;

    /// <summary>How messages name the node: its name, or its first output for a nameless node.</summary>
    public static string Label(this NodeProto node) => node.Name.Length > 0 ? node.Name : node.Output.FirstOrDefault() ?? "?";
}
