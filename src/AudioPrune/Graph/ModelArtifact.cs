using System.Text.Json;
using AudioPrune.Common;

namespace AudioPrune.Graph;

/// <summary>
/// A model that loads with nothing else: the weights as a standard .safetensors file, and in its header
/// metadata the graph, the class labels and any further settings (audio front end, feature normalisation,
/// training record) as JSON strings under their own keys.
/// </summary>
internal sealed record ModelArtifact(NetworkGraph Graph, WeightMap Weights, IReadOnlyList<string> Labels,
    IReadOnlyDictionary<string, string> Metadata)
{
    public const string Format = "audioprune-model/1";
    public const string FormatKey = "format";
    public const string GraphKey = "graph";
    public const string LabelsKey = "labels";

    /// <summary>Keys other parts of the program store settings under.</summary>
    public const string FrontEndKey = "frontend";
    public const string NormalizationKey = "normalization";
    public const string TrainingKey = "training";
    public const string ProvenanceKey = "provenance";

    public static ModelArtifact Create(NetworkGraph graph, WeightMap weights, IReadOnlyList<string>? labels = null,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        labels ??= NumberedLabels(graph.OutputShape[0]);
        return new ModelArtifact(graph, weights.OrderedLike(graph), labels, metadata ?? new Dictionary<string, string>());
    }

    /// <summary>The names a model without class labels gets: class0, class1, ...</summary>
    public static string[] NumberedLabels(int classes) => Enumerable.Range(0, classes).Select(i => $"class{i}").ToArray();

    /// <summary>Whether the labels are only <see cref="NumberedLabels"/>, as for a model imported without any.</summary>
    public bool HasNumberedLabels => Labels.SequenceEqual(NumberedLabels(Labels.Count));

    public ModelArtifact WithMetadata(string key, string value)
    {
        var copy = new Dictionary<string, string>(Metadata) { [key] = value };
        return this with { Metadata = copy };
    }

    public void Save(string path)
    {
        Weights.EnsureMatches(Graph, path);
        var metadata = new Dictionary<string, string>(Metadata)
        {
            [FormatKey] = Format,
            [GraphKey] = GraphJson.Serialize(Graph),
            [LabelsKey] = JsonSerializer.Serialize(Labels),
        };
        SafetensorsFile.Write(path, Weights, metadata);
    }

    public static ModelArtifact Load(string path)
    {
        var contents = SafetensorsFile.Read(path);
        var meta = contents.Metadata;
        var graph = GraphOf(meta, path);
        var labels = ParseLabels(meta.GetValueOrDefault(LabelsKey), path, graph.OutputShape[0]);
        contents.Tensors.EnsureMatches(graph, path);
        var extra = meta.Where(kv => kv.Key is not (FormatKey or GraphKey or LabelsKey)).ToDictionary(kv => kv.Key, kv => kv.Value);
        return new ModelArtifact(graph, contents.Tensors.OrderedLike(graph), labels, extra);
    }

    /// <summary>The architecture of an artifact, from its header alone (no tensor data is read).</summary>
    public static NetworkGraph LoadGraph(string path) => GraphOf(SafetensorsFile.ReadMetadata(path), path);

    private static NetworkGraph GraphOf(IReadOnlyDictionary<string, string> meta, string path)
    {
        if (!meta.TryGetValue(FormatKey, out var format) || !meta.TryGetValue(GraphKey, out var graphJson))
            throw UserInputException.InFile(path, "a safetensors file without an AudioPrune graph in its metadata; import it with 'audioprune import' and a graph, or pass a zoo name");
        if (format != Format) throw UserInputException.InFile(path, $"model format '{format}' is not '{Format}'");
        try
        {
            return GraphJson.Parse(graphJson, path);
        }
        catch (GraphException e)
        {
            throw new UserInputException(e.Message);
        }
    }

    private static string[] ParseLabels(string? json, string path, int classes)
    {
        string[]? labels;
        try
        {
            labels = json is null ? null : JsonSerializer.Deserialize<string[]>(json);
        }
        catch (JsonException)
        {
            throw UserInputException.InFile(path, "metadata 'labels' is not a JSON list of strings");
        }
        labels ??= NumberedLabels(classes);
        if (labels.Length != classes || labels.Any(l => l is null))
            throw UserInputException.InFile(path, $"{labels.Length} labels for a network with {classes} outputs");
        return labels;
    }
}
