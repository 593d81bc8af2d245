using AudioPrune.Interop;
using AudioPrune.Common;
using AudioPrune.Graph;
using AudioPrune.Interop.Onnx;

namespace AudioPrune.Inference;

/// <summary>
/// An .onnx file written by the exporter, for the commands that only run a model (evaluate, predict): its
/// metadata_props give the graph, labels, front end and normalisation; ONNX Runtime runs it. The description
/// carries no weights, so it must not be saved, trained or run with TorchSharp.
/// </summary>
internal static class OnnxModelFile
{
    public static bool Is(string path) => path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase);

    public static (ModelArtifact Description, IInferenceEngine Engine) Open(string path, int threads)
    {
        var runner = new OnnxModelRunner(path, threads);
        try
        {
            if (!runner.Metadata.TryGetValue(OnnxExporter.GraphKey, out var graphJson))
                throw UserInputException.InFile(path, "this ONNX model was not written by audioprune (no graph in its metadata_props); evaluate its .safetensors model instead");
            var graph = GraphJson.Parse(graphJson, path);
            var labels = runner.Labels ?? ModelArtifact.NumberedLabels(graph.OutputShape[0]);
            var metadata = runner.Metadata.Where(kv => kv.Key is ModelArtifact.FrontEndKey or ModelArtifact.NormalizationKey or ModelArtifact.TrainingKey or ModelArtifact.ProvenanceKey)
                .ToDictionary(kv => kv.Key, kv => kv.Value);
            return (new ModelArtifact(graph, new WeightMap(), labels, metadata), new OnnxInferenceEngine(runner));
        }
        catch
        {
            runner.Dispose();
            throw;
        }
    }
}
