using AudioPrune.Common;

namespace AudioPrune.Data;

/// <summary>The three split names, and the spellings datasets use for them.</summary>
internal static class SplitNames
{
    public const string Train = "train";
    public const string Validation = "validation";
    public const string Test = "test";

    public static IReadOnlyList<string> All { get; } = [Train, Validation, Test];

    public static string Normalise(string name, string source, int line) => name.Trim().ToLowerInvariant() switch
    {
        "train" or "training" => Train,
        "validation" or "val" or "valid" or "dev" or "development" => Validation,
        "test" or "testing" or "eval" or "evaluate" or "evaluation" => Test,
        _ => throw UserInputException.InFile(source, $"line {line}: split '{name}' is not train, validation or test"),
    };
}
