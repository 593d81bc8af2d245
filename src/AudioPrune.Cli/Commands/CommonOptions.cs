using System.CommandLine;
using AudioPrune.Graph;
using AudioPrune.Interop.Onnx;

namespace AudioPrune.Cli.Commands;

/// <summary>Options several commands share, so that they are spelt and parsed the same everywhere.</summary>
internal static class CommonOptions
{
    public static Argument<string> ModelArgument() => new("MODEL")
    {
        Description = "A zoo name (dcase21, vggish, cnn14, cnn10, cnn6), an AudioPrune .safetensors model, or a Keras .h5 file",
    };

    public static Option<Shape?> InputShape() => new("--input")
    {
        Description = "Input shape CxHxW for one example, e.g. 1x40x500 (default: the model's own)",
        CustomParser = result =>
        {
            var text = result.Tokens.Single().Value;
            try
            {
                return Shape.Parse(text);
            }
            catch (FormatException e)
            {
                result.AddError($"--input: {e.Message}");
                return null;
            }
        },
    };

    public static Option<string?> JsonOut() => new("--json")
    {
        Description = "Also write the result as JSON to this file",
        HelpName = "FILE",
    };

    /// <summary>--conv-layout: how convolutions are written for ONNX Runtime (parsed by <see cref="ConvolutionLayouts.Parse"/>).</summary>
    public static Option<string?> ConvLayout(string description) => new("--conv-layout")
    {
        Description = description,
        HelpName = string.Join("|", ConvolutionLayouts.Names.Keys),
    };

    public static Option<int> Seed() => new("--seed")
    {
        Description = "Random seed (zoo weights, data order, subsets)",
        DefaultValueFactory = _ => 0,
    };
}
