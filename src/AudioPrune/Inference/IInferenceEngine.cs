namespace AudioPrune.Inference;

/// <summary>Something that runs a model on a batch of examples: TorchSharp or ONNX Runtime.</summary>
internal interface IInferenceEngine : IDisposable
{
    string Name { get; }

    /// <summary>
    /// Multiply-adds the engine's kernels execute for one example, padded channels and folded kernels included
    /// (null when the engine cannot know, e.g. for an .onnx file written elsewhere). At least the model's MACs.
    /// </summary>
    long? ExecutedMacs { get; }

    /// <summary>How the engine runs the network (ONNX convolution layout, TorchSharp module form); null when not known.</summary>
    string? Form { get; }

    /// <summary>Runs the model on <paramref name="batch"/> examples laid out one after another; returns the outputs likewise.</summary>
    float[] Run(float[] input, int batch);
}
