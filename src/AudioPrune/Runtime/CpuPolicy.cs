using System.Runtime.Intrinsics.X86;

namespace AudioPrune.Runtime;

/// <summary>
/// Every kernel choice that depends on the processor, resolved once per process from what the CPU reports, so
/// the modules' forward code and the exporters read decisions instead of probing instruction sets themselves.
/// docs/platform.md gives the measurements behind each choice.
/// </summary>
internal sealed class CpuPolicy
{
    public static CpuPolicy Current { get; } = new(HasAvx512Foundation(), Avx512F.IsSupported, Avx2.IsSupported);

    internal CpuPolicy(bool oneDnnSeesAvx512, bool runtimeHasAvx512, bool runtimeHasAvx2)
    {
        OneDnnSeesAvx512 = oneDnnSeesAvx512;
        OneDnnChannelBlock = oneDnnSeesAvx512 ? 16 : 0;
        SingleChannelConvolutionPays = !oneDnnSeesAvx512;
        OnnxRuntimeLayout = runtimeHasAvx512 ? ConvolutionBlock.Sixteen : runtimeHasAvx2 ? ConvolutionBlock.Eight : ConvolutionBlock.None;
    }

    /// <summary>AVX-512 Foundation as the processor reports it, the way oneDNN (libtorch's CPU kernels) decides.</summary>
    public bool OneDnnSeesAvx512 { get; }

    /// <summary>
    /// The channel block to which convolutions pad the channels their oneDNN kernels sum over (16 under AVX-512,
    /// 0 elsewhere): libtorch's AVX-512 oneDNN kernels are wrong for a partial block of those channels.
    /// </summary>
    public int OneDnnChannelBlock { get; }

    /// <summary>Whether the single-input-channel convolution form beats libtorch's own weight-gradient kernel.</summary>
    public bool SingleChannelConvolutionPays { get; }

    /// <summary>The channel block of ONNX Runtime's blocked (NCHWc) kernels on this CPU, for the tuned ONNX layout.</summary>
    public ConvolutionBlock OnnxRuntimeLayout { get; }

    /// <summary>CPUID leaf 7, EBX bit 16: .NET's own Avx512F.IsSupported also reflects runtime settings that oneDNN ignores.</summary>
    private static bool HasAvx512Foundation() =>
        X86Base.IsSupported && (X86Base.CpuId(7, 0).Ebx & (1 << 16)) != 0;
}

/// <summary>A SIMD channel block: none, 8 (AVX2) or 16 (AVX-512) channels.</summary>
internal enum ConvolutionBlock
{
    None = 0,
    Eight = 8,
    Sixteen = 16,
}
