using System.Text.Json;
using System.Text.Json.Serialization;
using AudioPrune.Common;

namespace AudioPrune.Graph;

/// <summary>
/// The graph's file form: {"format": "audioprune-graph/1", "name", "input": [C,H,W], "nodes": [{"op": ...}]}.
/// Unknown ops and unknown keys are errors (a typo must not silently change a network).
/// </summary>
internal static class GraphJson
{
    public const string Format = "audioprune-graph/1";

    private sealed record GraphDocument(string Format, string Name, int[] Input, Node[] Nodes);

    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
        WriteIndented = false,
        MaxDepth = InputLimits.MaxNestingDepth,
    };

    private static readonly JsonSerializerOptions Indented = new(Options) { WriteIndented = true };

    public static string Serialize(NetworkGraph graph, bool indented = false) =>
        JsonSerializer.Serialize(new GraphDocument(Format, graph.Name, graph.Input.ToArray(), graph.Nodes.ToArray()),
            indented ? Indented : Options);

    /// <summary>Reads and validates a graph file of at most <see cref="InputLimits.MaxGraphJsonBytes"/> bytes.</summary>
    public static NetworkGraph ReadFile(string path) =>
        Parse(InputFile.ReadAllText(path, InputLimits.MaxGraphJsonBytes, "graph file"), path);

    /// <summary>Parses and validates a graph; <paramref name="source"/> names the file in error messages.</summary>
    public static NetworkGraph Parse(string json, string source)
    {
        GraphDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<GraphDocument>(json, Options);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" at line {line + 1}" : "";
            throw new GraphException($"{source}: not a valid graph{where}: {FirstSentence(e.Message)}");
        }
        catch (NotSupportedException e)
        {
            throw new GraphException($"{source}: not a valid graph: {FirstSentence(e.Message)}");
        }
        if (document is null) throw new GraphException($"{source}: empty graph document");
        if (document.Format != Format)
            throw new GraphException($"{source}: graph format '{document.Format}' is not '{Format}'");
        if (document.Input is null || document.Input.Length == 0 || document.Input.Any(d => d <= 0))
            throw new GraphException($"{source}: graph input must be a list of positive sizes like [1, 40, 500]");
        if (document.Nodes is null || document.Nodes.Any(n => n is null))
            throw new GraphException($"{source}: graph has a missing node");
        try
        {
            return new NetworkGraph(document.Name ?? "graph", new Shape(document.Input), document.Nodes);
        }
        catch (GraphException e)
        {
            throw new GraphException($"{source}: {e.Message}");
        }
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(". Path:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).ReplaceLineEndings(" ");
    }
}
