namespace AudioPrune.Benchmarking;

/// <summary>Something that runs a model on a batch of examples: TorchSharp or ONNX Runtime.</summary>
public interface IInferenceEngine : IDisposable
{
    string Name { get; }

    /// <summary>Runs the model on <paramref name="batch"/> examples laid out one after another; returns the outputs likewise.</summary>
    float[] Run(float[] input, int batch);
}
