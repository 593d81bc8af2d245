using System.Text.Json;
using AudioPrune.Common;
using AudioPrune.Graph;
using AudioPrune.Zoo;

namespace AudioPrune.Interop;

/// <summary>
/// Turns what a user types as MODEL into a model: a zoo name (seeded initial weights), an AudioPrune
/// .safetensors artifact, or a file another tool wrote (importers register themselves by file extension).
/// </summary>
internal static class ModelLoader
{
    /// <summary>Importers for foreign files, by lower-case extension (".h5").</summary>
    private static readonly Dictionary<string, Func<string, ModelArtifact>> Importers = new(StringComparer.OrdinalIgnoreCase);

    // The built-in importers are registered before any use of the loader, so every command accepts them.
    static ModelLoader() => Interop.Importers.RegisterAll();

    public static void RegisterImporter(string extension, Func<string, ModelArtifact> importer) => Importers[extension] = importer;

    /// <summary>Loads MODEL with its weights. <paramref name="input"/> overrides the input shape, <paramref name="seed"/> seeds zoo weights.</summary>
    public static ModelArtifact Load(string model, Shape? input = null, int seed = 0, int? classes = null)
    {
        if (LooksLikeFile(model))
        {
            var artifact = LoadFile(model, seed);
            return input is null || input.Equals(artifact.Graph.Input) ? artifact : artifact with { Graph = Reshaped(artifact.Graph, input, model) };
        }
        var zoo = ModelZoo.Create(model, classes, input);
        var metadata = new Dictionary<string, string>
        {
            [ModelArtifact.ProvenanceKey] = SeededProvenance("zoo", zoo.Name, seed),
            [ModelArtifact.FrontEndKey] = FrontEndJson(zoo),
        };
        return ModelArtifact.Create(zoo.Graph, WeightInitializer.Initialize(zoo.Graph, seed), zoo.Labels, metadata);
    }

    /// <summary>
    /// The seed of the random initial weights a model still has (a zoo name or graph file, pruned or exported but
    /// never trained), or null when its weights were trained or imported.
    /// </summary>
    public static int? UntrainedSeed(ModelArtifact model)
    {
        if (model.Metadata.ContainsKey(ModelArtifact.TrainingKey) || !model.Metadata.TryGetValue(ModelArtifact.ProvenanceKey, out var json)) return null;
        try
        {
            using var provenance = JsonDocument.Parse(json);
            return provenance.RootElement.ValueKind == JsonValueKind.Object && provenance.RootElement.TryGetProperty(SeedKey, out var seed)
                && seed.TryGetInt32(out var value) ? value : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private const string SeedKey = "seed";

    /// <summary>The provenance of seeded initial weights: {"zoo":"dcase21","seed":0}.</summary>
    private static string SeededProvenance(string kind, string name, int seed) =>
        JsonSerializer.Serialize(new Dictionary<string, object> { [kind] = name, [SeedKey] = seed });

    /// <summary>The front-end setting a zoo model's artifacts carry: {"preset": "dcase2021"}.</summary>
    internal static string FrontEndJson(ZooModel zoo) => $"{{\"preset\":\"{zoo.FrontEndPreset}\"}}";

    /// <summary>
    /// Loads only the architecture: no weights are created for zoo names and graph JSON files, and none are read
    /// from an artifact (only its header); foreign formats are imported whole.
    /// </summary>
    public static NetworkGraph LoadGraph(string model, Shape? input = null, int? classes = null)
    {
        if (!LooksLikeFile(model)) return ModelZoo.Create(model, classes, input).Graph;
        CheckFile(model);
        var graph = Path.GetExtension(model).ToLowerInvariant() switch
        {
            ".safetensors" => ModelArtifact.LoadGraph(model),
            ".json" => GraphJson.ReadFile(model),
            _ => LoadFile(model, seed: 0).Graph,
        };
        return input is null ? graph : Reshaped(graph, input, model);
    }

    private static bool LooksLikeFile(string model) =>
        File.Exists(model) || model.Contains('/') || model.Contains('\\') || Path.HasExtension(model) && !ModelZoo.Contains(model);

    /// <summary>A file: an artifact, a graph JSON file (seeded initial weights), or a foreign format with an importer.</summary>
    private static ModelArtifact LoadFile(string path, int seed)
    {
        CheckFile(path);
        var extension = Path.GetExtension(path);
        if (extension.Equals(".safetensors", StringComparison.OrdinalIgnoreCase)) return ModelArtifact.Load(path);
        if (extension.Equals(".json", StringComparison.OrdinalIgnoreCase))
        {
            var graph = GraphJson.ReadFile(path);
            var provenance = new Dictionary<string, string> { [ModelArtifact.ProvenanceKey] = SeededProvenance("graph", Path.GetFileName(path), seed) };
            return ModelArtifact.Create(graph, WeightInitializer.Initialize(graph, seed), metadata: provenance);
        }
        if (Importers.TryGetValue(extension, out var importer)) return importer(path);
        throw UserInputException.InFile(path, $"unknown model file type '{extension}' (expected .safetensors, .json{string.Concat(Importers.Keys.Select(k => ", " + k))})");
    }

    private static void CheckFile(string path)
    {
        if (Directory.Exists(path)) throw UserInputException.InFile(path, "is a folder, not a model file");
        InputFile.Check(path, "model file");
    }

    private static NetworkGraph Reshaped(NetworkGraph graph, Shape input, string source)
    {
        try
        {
            return new NetworkGraph(graph.Name, input, graph.Nodes);
        }
        catch (GraphException e)
        {
            throw new UserInputException($"{source}: input {input} does not fit this network (its own input is {graph.Input}): {e.Message}");
        }
    }
}
