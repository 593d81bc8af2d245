using AudioPrune.Graph;
using AudioPrune.Interop.PyTorch;

namespace AudioPrune.Interop;

/// <summary>
/// Writes a model's weights for PyTorch users: a torch.load-able state_dict (.pt) or a plain safetensors
/// file, both with the graph's state_dict names ("conv1.weight"), plus the graph JSON to rebuild it.
/// </summary>
internal static class StateDictExporter
{
    public static void WritePyTorch(ModelArtifact model, string path)
    {
        model.Weights.EnsureMatches(model.Graph, path);
        PyTorchStateDictFile.Write(path, model.Weights, model.Graph);
    }

    /// <summary>Plain safetensors: the tensors and no AudioPrune metadata, as PyTorch's safetensors.torch.save_file writes.</summary>
    public static void WriteSafetensors(ModelArtifact model, string path)
    {
        model.Weights.EnsureMatches(model.Graph, path);
        SafetensorsFile.Write(path, model.Weights, new Dictionary<string, string>());
    }

    public static void WriteGraphJson(ModelArtifact model, string path) =>
        Common.AtomicFile.WriteAllText(path, GraphJson.Serialize(model.Graph, indented: true));
}
