using AudioPrune.Graph;
using AudioPrune.Graph.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace AudioPrune.Benchmarking;

/// <summary>Evaluation-mode inference with TorchSharp (no gradients), on a fixed number of threads.</summary>
public sealed class TorchInferenceEngine : IInferenceEngine
{
    private readonly TorchGraphModule module;
    private readonly long[] exampleShape;

    public TorchInferenceEngine(ModelArtifact model, int threads)
    {
        torch.set_num_threads(threads);
        module = TorchGraphModule.Create(model.Graph, model.Weights);
        exampleShape = model.Graph.Input.Dims.Select(d => (long)d).ToArray();
    }

    public string Name => "torch";

    public long? ExecutedMacs => ComplexityReport.Of(module.ExecutedGraph).Macs;

    public float[] Run(float[] input, int batch)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var x = torch.tensor(input, [batch, .. exampleShape]);
        return module.call(x).contiguous().data<float>().ToArray();
    }

    public void Dispose() => module.Dispose();
}
