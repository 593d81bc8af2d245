using System.Text.Json;
using AudioPrune.Graph;

namespace AudioPrune.Interop.Keras;

/// <summary>
/// Imports a Keras .h5 model (Sequential or functional CNN) as an AudioPrune model: architecture from
/// model_config, weights from model_weights, converted to channels-first. Labels are numbered (Keras files
/// carry none); the provenance records the source file and Keras version.
/// </summary>
internal static class KerasImporter
{
    public static ModelArtifact Import(string path)
    {
        using var file = KerasH5File.Open(path);
        var config = KerasModelConfig.Parse(file.ModelConfig, path);
        var (graph, weights) = KerasGraphConverter.Convert(file, config, Path.GetFileNameWithoutExtension(path));
        var provenance = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["imported_from"] = Path.GetFileName(path),
            ["format"] = "keras-h5",
            ["keras_version"] = file.KerasVersion,
            ["keras_model"] = config.ModelName,
        });
        return ModelArtifact.Create(graph, weights, metadata: new Dictionary<string, string> { [ModelArtifact.ProvenanceKey] = provenance });
    }
}
