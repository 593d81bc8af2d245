using AudioPrune.Cli;
using System.CommandLine;
using System.Text.Json;
using AudioPrune.Common;
using AudioPrune.Reports;

namespace AudioPrune.Cli.Commands;

/// <summary>
/// Where a command's --json result goes: a file written atomically, or with <c>--json -</c> standard output, and then
/// every human-readable line goes to <see cref="Human"/> (standard error) so that standard output parses as JSON.
/// </summary>
internal sealed class JsonOutput
{
    private readonly TextWriter standardOutput;

    private JsonOutput(string? target, TextWriter standardOutput, TextWriter human)
    {
        Target = target;
        this.standardOutput = standardOutput;
        Human = human;
    }

    /// <summary>The --json value: a file, "-" or null.</summary>
    public string? Target { get; }

    /// <summary>Where tables, notes, progress and "wrote" lines go: the command's output, or its error stream when the JSON takes the output.</summary>
    public TextWriter Human { get; }

    private bool ToStandardOutput => Target == CommandPaths.StandardOutput;

    public static JsonOutput For(ParseResult parse, Option<string?> json, TextWriter output)
    {
        var target = parse.GetValue(json);
        var human = target == CommandPaths.StandardOutput ? parse.InvocationConfiguration.Error : output;
        return new JsonOutput(target, output, human);
    }

    /// <summary>Writes the result where --json asked and, for a file, says so.</summary>
    public void Write(object value)
    {
        if (WriteFile(value) is { } file) Human.WriteLine($"wrote {file}");
        WriteStandardOutput(value);
    }

    /// <summary>Writes the result's file (joining an open <see cref="OutputGroup"/>) and returns its name, or null when there is none.</summary>
    public string? WriteFile(object value)
    {
        if (Target is null || ToStandardOutput) return null;
        AtomicFile.WriteAllText(Target, Serialize(value));
        return Target;
    }

    /// <summary>Prints the result on standard output when --json is "-"; call it once every file is in place.</summary>
    public void WriteStandardOutput(object value)
    {
        if (ToStandardOutput) standardOutput.WriteLine(Serialize(value));
    }

    private static string Serialize(object value) => JsonSerializer.Serialize(value, ReportJson.Options);
}
