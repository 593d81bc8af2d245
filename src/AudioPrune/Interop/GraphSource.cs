using AudioPrune.Common;
using AudioPrune.Graph;
using AudioPrune.Zoo;

namespace AudioPrune.Interop;

/// <summary>
/// The architecture a user names for a weights-only file: a zoo name, a graph JSON file, or a model file
/// (whose graph is used, its weights ignored). Labels come from the zoo when it is a zoo name.
/// </summary>
internal static class GraphSource
{
    public sealed record Resolved(NetworkGraph Graph, IReadOnlyList<string>? Labels, IReadOnlyDictionary<string, string> Metadata);

    public static Resolved Resolve(string spec, Shape? input = null, int? classes = null)
    {
        if (spec.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            NetworkGraph graph;
            try
            {
                graph = GraphJson.ReadFile(spec);
                if (input is not null) graph = new NetworkGraph(graph.Name, input, graph.Nodes);
            }
            catch (GraphException e)
            {
                throw new UserInputException(e.Message);
            }
            return new Resolved(graph, null, new Dictionary<string, string>());
        }
        if (File.Exists(spec))
        {
            var artifact = ModelLoader.Load(spec, input);
            return new Resolved(artifact.Graph, artifact.Labels, artifact.Metadata);
        }
        var zoo = ModelZoo.Create(spec, classes, input);
        return new Resolved(zoo.Graph, zoo.Labels, new Dictionary<string, string> { [ModelArtifact.FrontEndKey] = ModelLoader.FrontEndJson(zoo) });
    }
}
