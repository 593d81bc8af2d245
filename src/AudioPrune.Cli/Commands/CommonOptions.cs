using AudioPrune.Cli;
using System.CommandLine;
using AudioPrune.Common;
using AudioPrune.Graph;
using AudioPrune.Interop.Onnx;
using AudioPrune.Zoo;

namespace AudioPrune.Cli.Commands;

/// <summary>Options several commands share, so that they are spelt and parsed the same everywhere.</summary>
internal static class CommonOptions
{
    public static Argument<string> ModelArgument() => new("MODEL")
    {
        Description = $"A zoo name ({string.Join(", ", ModelZoo.Names)}), an AudioPrune .safetensors model, a Keras .h5 file or an .onnx file",
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

    /// <summary>--test-fold: the fold a dataset with folds (ESC-50, UrbanSound8K, a manifest's fold column) tests on.</summary>
    public static Option<int?> TestFold() => new("--test-fold")
    {
        Description = "For a dataset with folds: test on this fold (default the last); the k-fold protocol runs each fold in turn",
        HelpName = "K",
    };

    /// <summary>--validation-fold: the fold that selects the epoch (default the last fold that is not the test fold).</summary>
    public static Option<int?> ValidationFold() => new("--validation-fold")
    {
        Description = "For a dataset with folds: select the epoch on this fold (default the last fold other than the test fold)",
        HelpName = "K",
    };

    public static Option<string?> JsonOut() => new("--json")
    {
        Description = $"Also write the result as JSON to this file, or with '{CommandPaths.StandardOutput}' to standard output (every other line then goes to standard error)",
        HelpName = "FILE",
    };

    /// <summary>--preset of the commands that run a model on audio with the front end it stores.</summary>
    public static Option<string?> FrontEndPreset() => new("--preset")
    {
        Description = "Front-end preset or a .json file of settings, for a model that stores none",
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
