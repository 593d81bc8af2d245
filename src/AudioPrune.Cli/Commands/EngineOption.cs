using AudioPrune.Inference;
using System.CommandLine;
using AudioPrune.Benchmarking;
using AudioPrune.Common;

namespace AudioPrune.Cli.Commands;

/// <summary>--engine torch|onnx for the commands that run a model, checked before any work starts.</summary>
internal static class EngineOption
{
    public static Option<string?> Create() => new("--engine")
    {
        Description = $"Inference engine: {string.Join(" or ", InferenceEngines.Names)} (default torch, or onnx for an .onnx model; " +
            "onnx exports the model in memory with the convolution layout tuned for this CPU, onnx-plain with the portable one export writes, " +
            "and runs it with ONNX Runtime; the output says which form ran)",
    };

    /// <summary>The "runs as:" line, so that a timing or score is never read as the portable export's when it was a tuned form's.</summary>
    public static void WriteForm(IInferenceEngine engine, TextWriter output)
    {
        if (engine.Form is { } form) output.WriteLine($"runs as: {form}");
    }

    public static string? Checked(string? name) =>
        name is null || InferenceEngines.Names.Contains(name, StringComparer.OrdinalIgnoreCase)
            ? name
            : throw new UserInputException($"--engine: unknown engine '{name}' (expected {string.Join(" or ", InferenceEngines.Names)})");
}
