using AudioPrune.Common;
using AudioPrune.Graph;
using AudioPrune.Interop.Onnx;

namespace AudioPrune.Inference;

/// <summary>
/// Creates an inference engine by name: "torch", "onnx" (exported in memory with the convolution layout tuned for
/// this CPU, since it runs only here) or "onnx-plain" (one Conv node per layer, as `export` writes it by default).
/// </summary>
internal static class InferenceEngines
{
    private static readonly Dictionary<string, Func<ModelArtifact, int, IInferenceEngine>> Factories = new(StringComparer.OrdinalIgnoreCase)
    {
        ["onnx"] = (model, threads) => new OnnxInferenceEngine(model, threads),
        ["onnx-plain"] = (model, threads) => new OnnxInferenceEngine(model, threads, ConvolutionLayout.Plain),
        ["torch"] = (model, threads) => new TorchInferenceEngine(model, threads),
    };

    public static IReadOnlyList<string> Names => Factories.Keys.ToArray();

    public static IInferenceEngine Create(string name, ModelArtifact model, int threads)
    {
        if (threads < 1) throw new UserInputException($"{{@Threads}} must be at least 1, got {threads}");
        return Factories.TryGetValue(name, out var factory)
            ? factory(model, threads)
            : throw new UserInputException($"unknown engine '{name}' (expected {string.Join(" or ", Names)})");
    }
}
