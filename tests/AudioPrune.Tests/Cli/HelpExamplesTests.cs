using System.CommandLine;
using System.CommandLine.Parsing;
using AudioPrune.Audio;
using AudioPrune.Cli;

namespace AudioPrune.Tests.Cli;

/// <summary>
/// Every example line in a command's --help ("audioprune ..." in its description) parses with the program's parser,
/// and every file it names has a type the program reads or writes where it is given.
/// </summary>
public sealed class HelpExamplesTests
{
    /// <summary>File types by where they are given; options not listed take a folder, a name or a number.</summary>
    private static readonly Dictionary<string, string[]> TypesByOption = new()
    {
        ["MODEL"] = [".safetensors", ".h5", ".onnx", ".json"],
        ["PRUNED"] = [".safetensors"],
        ["--model"] = [".safetensors", ".h5", ".onnx", ".json"],
        ["--parent"] = [".safetensors", ".h5", ".onnx"],
        ["--graph"] = [".json", ".safetensors"],
        ["FILE"] = [".h5", ".onnx", ".pt", ".pth", ".bin", ".safetensors"],
        ["CONFIG"] = [".yaml", ".yml", ".json"],
        ["--audio"] = [.. AudioDecoder.AudioExtensions],
        ["--data"] = [".csv"],
        ["--preset"] = [".json"],
        ["--labels"] = [".txt"],
        ["--json"] = [".json"],
        ["--plan"] = [".json"],
        ["--plan-in"] = [".json"],
        ["--match-plan"] = [".json"],
        ["--graph-json"] = [".json"],
        ["--onnx"] = [".onnx"],
        ["--pytorch"] = [".pt", ".pth"],
        ["--safetensors"] = [".safetensors"],
        ["--out"] = [".safetensors"],
    };

    public static TheoryData<string, string> HelpExamples()
    {
        var data = new TheoryData<string, string>();
        foreach (var (command, line) in ExampleLines()) data.Add(command, line);
        return data;
    }

    [Fact]
    public void EveryCommandShowsExamples() =>
        Assert.Equal(CliApp.Root(TextWriter.Null).Subcommands.Select(c => c.Name).Order(), ExampleLines().Select(e => e.Command).Distinct().Order());

    [Theory]
    [MemberData(nameof(HelpExamples))]
    public void AHelpExampleParsesAndNamesFilesOfTypesTheProgramTakes(string command, string line)
    {
        var parsed = CliApp.Root(TextWriter.Null).Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries));

        Assert.True(parsed.Errors.Count == 0, $"{command} --help: 'audioprune {line}': {string.Join("; ", parsed.Errors.Select(e => e.Message))}");
        foreach (var (where, value) in Values(parsed.CommandResult))
        {
            var extension = Path.GetExtension(value).ToLowerInvariant();
            if (extension.Length == 0 || value == "-" || !TypesByOption.TryGetValue(where, out var types)) continue;
            Assert.True(types.Contains(extension), $"{command} --help: 'audioprune {line}': {where} {value} is not one of {string.Join(", ", types)}");
        }
    }

    /// <summary>Each command's example lines, without the leading "audioprune ".</summary>
    private static IEnumerable<(string Command, string Line)> ExampleLines() =>
        from command in CliApp.Root(TextWriter.Null).Subcommands
        from line in (command.Description ?? "").Split('\n').Select(l => l.Trim())
        where line.StartsWith("audioprune ", StringComparison.Ordinal)
        select (command.Name, line["audioprune ".Length..]);

    /// <summary>Each value given, with the option or argument it was given to.</summary>
    private static IEnumerable<(string Where, string Value)> Values(CommandResult result) =>
        result.Children.SelectMany(child => child switch
        {
            OptionResult o => o.Tokens.Select(t => (o.Option.Name, t.Value)),
            ArgumentResult a => a.Tokens.Select(t => (a.Argument.Name, t.Value)),
            _ => [],
        });
}
