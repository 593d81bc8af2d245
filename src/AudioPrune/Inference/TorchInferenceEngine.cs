using AudioPrune.Graph;
using AudioPrune.Graph.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace AudioPrune.Inference;

/// <summary>
/// Evaluation-mode inference with TorchSharp (no gradients), on a fixed number of threads. The module's form
/// (padding, layout) is chosen by timing on the first batch run (<see cref="FastestTorchModule"/>).
/// </summary>
internal sealed class TorchInferenceEngine : IInferenceEngine
{
    private readonly ModelArtifact model;
    private readonly long[] exampleShape;
    private TorchGraphModule? module;

    public TorchInferenceEngine(ModelArtifact model, int threads)
    {
        torch.set_num_threads(threads);
        this.model = model;
        exampleShape = model.Graph.Input.Dims.Select(d => (long)d).ToArray();
    }

    public string Name => "torch";

    /// <summary>Known once the engine has run: it depends on the form chosen.</summary>
    public long? ExecutedMacs => module is null ? null : ComplexityReport.Of(module.ExecutedGraph).Macs;

    /// <summary>The chosen module form (null before the first run).</summary>
    public string? Form => module is null ? null : FastestTorchModule.Describe(module);

    public float[] Run(float[] input, int batch)
    {
        using var x = torch.tensor(input, [batch, .. exampleShape]);
        module ??= FastestTorchModule.Choose(model.Graph, model.Weights, x);
        using var output = FastestTorchModule.Forward(module, x);
        return output.data<float>().ToArray();
    }

    public void Dispose() => module?.Dispose();
}
