namespace AudioPrune.Interop.Onnx;

/// <summary>
/// How convolutions are written to ONNX. <see cref="Plain"/> is one Conv node per layer. The blocked layouts
/// rewrite a convolution into an exactly equivalent form that ONNX Runtime's blocked (NCHWc) CPU kernels take,
/// for their channel block of 8 (AVX2) or 16 (AVX-512): see <see cref="ConvolutionPlan"/>.
/// </summary>
internal enum ConvolutionLayout
{
    Plain,
    Blocked8,
    Blocked16,
}

internal static class ConvolutionLayouts
{
    /// <summary>The CLI names, in the order they are documented.</summary>
    public static readonly IReadOnlyDictionary<string, ConvolutionLayout?> Names = new Dictionary<string, ConvolutionLayout?>(StringComparer.Ordinal)
    {
        ["auto"] = null, ["plain"] = ConvolutionLayout.Plain, ["blocked8"] = ConvolutionLayout.Blocked8, ["blocked16"] = ConvolutionLayout.Blocked16,
    };

    /// <summary>
    /// The layout for ONNX Runtime on this CPU: its blocked kernels are x64 only, with 16-channel blocks where
    /// AVX-512F is present and 8-channel blocks with AVX2; anywhere else convolutions stay plain.
    /// </summary>
    public static ConvolutionLayout ForThisCpu() => Runtime.CpuPolicy.Current.OnnxRuntimeLayout switch
    {
        Runtime.ConvolutionBlock.Sixteen => ConvolutionLayout.Blocked16,
        Runtime.ConvolutionBlock.Eight => ConvolutionLayout.Blocked8,
        _ => ConvolutionLayout.Plain,
    };

    /// <summary>A CLI value ("auto", "plain", "blocked8", "blocked16") as a layout; auto is this CPU's.</summary>
    public static ConvolutionLayout Parse(string name) =>
        Names.TryGetValue(name, out var layout)
            ? layout ?? ForThisCpu()
            : throw new UserInputException($"{{@ConvLayout}} {name}: expected one of {string.Join(", ", Names.Keys)}");

    public static string Name(ConvolutionLayout layout) => Names.First(e => e.Value == layout).Key;

    /// <summary>What a layout is for, printed beside its name so that nobody mistakes a tuned file for a portable one.</summary>
    public static string Purpose(this ConvolutionLayout layout) => layout switch
    {
        ConvolutionLayout.Plain => "portable",
        _ when layout == ForThisCpu() => "tuned for this CPU",
        ConvolutionLayout.Blocked16 => "tuned for AVX-512 CPUs",
        _ => "tuned for AVX2 CPUs",
    };

    /// <summary>The name with its purpose, e.g. "blocked16 (tuned for this CPU)", as every command prints a layout.</summary>
    public static string Describe(this ConvolutionLayout layout) => $"{Name(layout)} ({layout.Purpose()})";

    /// <summary>The channel block of ONNX Runtime's blocked kernels for the layout (0 for plain).</summary>
    public static int BlockChannels(this ConvolutionLayout layout) => layout switch
    {
        ConvolutionLayout.Blocked8 => 8,
        ConvolutionLayout.Blocked16 => 16,
        _ => 0,
    };
}
