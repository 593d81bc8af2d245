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
        Description = $"Inference engine: {string.Join(" or ", InferenceEngines.Names)} (default torch, or onnx for an .onnx model; onnx exports the model and runs it with ONNX Runtime)",
    };

    public static string? Checked(string? name) =>
        name is null || InferenceEngines.Names.Contains(name, StringComparer.OrdinalIgnoreCase)
            ? name
            : throw new UserInputException($"--engine: unknown engine '{name}' (expected {string.Join(" or ", InferenceEngines.Names)})");
}
