namespace AudioPrune.Graph;

/// <summary>An inconsistent network graph: the message names the node and what does not fit.</summary>
internal sealed class GraphException(string message) : Exception(message)
{
    public static GraphException At(Node node, string problem) => new($"node '{node.Name}' ({node.Op}): {problem}");
}
