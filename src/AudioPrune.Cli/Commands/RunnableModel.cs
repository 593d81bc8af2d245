using AudioPrune.Inference;
using AudioPrune.Benchmarking;
using AudioPrune.Common;
using AudioPrune.Graph;
using AudioPrune.Interop;

namespace AudioPrune.Cli.Commands;

/// <summary>
/// MODEL and --engine of evaluate and predict: an artifact run by the chosen engine, or an .onnx file audioprune exported,
/// run by ONNX Runtime. Any other .onnx file is imported (<see cref="AudioPrune.Interop.Onnx.Import.OnnxImporter"/>) and run like an artifact.
/// </summary>
internal static class RunnableModel
{
    public static (ModelArtifact Model, IInferenceEngine Engine) Open(string model, string? engine, int threads)
    {
        if (OnnxModelFile.Is(model) && AudioPrune.Interop.Onnx.Import.OnnxImporter.IsAudioPruneExport(model))
        {
            if (engine is not null && !engine.Equals("onnx", StringComparison.OrdinalIgnoreCase))
                throw new UserInputException($"{model}: an .onnx model runs only with --engine onnx, not '{engine}'");
            return OnnxModelFile.Open(model, threads);
        }
        var artifact = ModelLoader.Load(model);
        return (artifact, InferenceEngines.Create(engine ?? "torch", artifact, threads));
    }
}
