namespace AudioPrune;

/// <summary>How <see cref="AudioPruneModel.ExportOnnx"/> writes the model.</summary>
public sealed record OnnxOptions
{
    /// <summary>The ONNX opset, 13 to 21.</summary>
    public int Opset { get; init; } = 17;

    /// <summary>Merge each batch norm into the convolution before it, as a deployment would.</summary>
    public bool FoldBatchNorm { get; init; }

    /// <summary>
    /// Rewrite convolutions for ONNX Runtime's blocked kernels on this CPU (faster here, but shaped for this
    /// machine's SIMD width); false writes one plain Conv node per conv layer, portable to any runtime and CPU.
    /// </summary>
    public bool TunedForThisCpu { get; init; }
}
