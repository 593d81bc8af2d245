namespace AudioPrune.Interop.Onnx;

/// <summary>
/// How to write a model as ONNX. <see cref="FoldBatchNorm"/> merges each batch norm into the convolution
/// before it; <see cref="IncludeProbabilityHead"/> false drops a final softmax/sigmoid (the output is logits);
/// <see cref="ConvolutionLayout"/> chooses plain Conv nodes (the default, so that a written file runs alike on any
/// runtime and CPU) or the exact rewrites for ONNX Runtime's blocked CPU kernels (<see cref="ConvolutionLayouts.ForThisCpu"/>).
/// </summary>
internal sealed record OnnxExportOptions(int Opset = OnnxExportOptions.DefaultOpset, bool FoldBatchNorm = false, bool IncludeProbabilityHead = true,
    ConvolutionLayout ConvolutionLayout = ConvolutionLayout.Plain)
{
    public const int DefaultOpset = 17;
    public const int MinOpset = 13;
    public const int MaxOpset = 21;

    /// <summary>Throws a <see cref="UserInputException"/> for an opset this exporter does not write.</summary>
    public OnnxExportOptions Validated()
    {
        if (Opset is < MinOpset or > MaxOpset)
            throw new UserInputException($"{{@Opset}} {Opset}: supported opsets are {MinOpset} to {MaxOpset}");
        return this;
    }

    /// <summary>The IR version that goes with the opset (onnx 1.10: IR 8 up to opset 17; 1.13: IR 9; 1.16: IR 10).</summary>
    public long IrVersion => Opset switch
    {
        >= 21 => 10,
        >= 18 => 9,
        >= 15 => 8,
        _ => 7,
    };
}
