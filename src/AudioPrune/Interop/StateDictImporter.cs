using System.Text.Json;
using AudioPrune.Common;
using AudioPrune.Graph;
using AudioPrune.Interop.PyTorch;

namespace AudioPrune.Interop;

/// <summary>
/// Imports PyTorch-named weights (a torch.save state_dict .pt/.pth, or any plain .safetensors file) into an
/// AudioPrune model, against a graph the user names. Missing, unexpected and mis-shaped tensors are all
/// reported in one message before anything is written.
/// </summary>
public static class StateDictImporter
{
    public static readonly string[] Extensions = [".pt", ".pth", ".bin", ".safetensors"];

    public static ModelArtifact Import(string weightsPath, GraphSource.Resolved graph)
    {
        var weights = ReadWeights(weightsPath);
        var mismatch = weights.CompareWith(graph.Graph);
        if (!mismatch.IsEmpty)
            throw UserInputException.InFile(weightsPath, $"tensors do not match graph '{graph.Graph.Name}': {mismatch}");
        weights.EnsureMatches(graph.Graph, weightsPath);
        var metadata = new Dictionary<string, string>(graph.Metadata)
        {
            [ModelArtifact.ProvenanceKey] = JsonSerializer.Serialize(new Dictionary<string, string>
            {
                ["imported_from"] = Path.GetFileName(weightsPath),
                ["format"] = IsSafetensors(weightsPath) ? "safetensors-state-dict" : "pytorch-state-dict",
            }),
        };
        return ModelArtifact.Create(graph.Graph, weights, graph.Labels, metadata);
    }

    /// <summary>The file's tensors by name (num_batches_tracked dropped), whichever of the two formats it is.</summary>
    public static WeightMap ReadWeights(string path)
    {
        if (!File.Exists(path)) throw UserInputException.InFile(path, "file not found");
        if (!IsSafetensors(path)) return PyTorchStateDictFile.Read(path);
        var tensors = SafetensorsFile.Read(path).Tensors;
        return new WeightMap(tensors.Entries.Where(e => !e.Key.EndsWith(PyTorchStateDictFile.BatchCounterSuffix, StringComparison.Ordinal)));
    }

    private static bool IsSafetensors(string path) => path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase);
}
