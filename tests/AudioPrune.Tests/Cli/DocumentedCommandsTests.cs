using System.Text.RegularExpressions;
using AudioPrune.Cli;

namespace AudioPrune.Tests.Cli;

/// <summary>Every command line the README and docs/ show parses: its command exists and its flags are the program's.</summary>
public sealed partial class DocumentedCommandsTests
{
    public static TheoryData<string, string> DocumentedLines()
    {
        var data = new TheoryData<string, string>();
        var files = new[] { RepositoryFiles.Path("README.md") }.Concat(Directory.GetFiles(RepositoryFiles.Path("docs"), "*.md"));
        foreach (var file in files)
        {
            var inBash = false;
            foreach (var line in File.ReadLines(file))
            {
                if (line.StartsWith("```", StringComparison.Ordinal)) inBash = line.Trim() == "```bash" && !inBash;
                else if (inBash && CommandLine().Match(line) is { Success: true } match)
                    data.Add(Path.GetFileName(file), match.Groups["args"].Value);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(DocumentedLines))]
    public void ADocumentedCommandLineParses(string document, string line)
    {
        var args = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var parsed = CliApp.Root(TextWriter.Null).Parse(args);
        Assert.True(parsed.Errors.Count == 0, $"{document}: 'audioprune {line}': {string.Join("; ", parsed.Errors.Select(e => e.Message))}");
    }

    [Fact]
    public void TheDocumentsShowCommandLines() => Assert.True(DocumentedLines().Count() >= 30);

    /// <summary>"./audioprune ARGS  # comment" or "audioprune ARGS", the comment dropped.</summary>
    [GeneratedRegex(@"^(\./)?audioprune (?<args>[^#]*?)\s*(#.*)?$")]
    private static partial Regex CommandLine();
}

/// <summary>A mistyped or missing command name gets a message that helps.</summary>
public sealed class CommandNameTests
{
    [Theory]
    [InlineData(new[] { "inspct", "dcase21" }, "unknown command 'inspct'; did you mean 'inspect'?")]
    [InlineData(new[] { "finetnue" }, "unknown command 'finetnue'; did you mean 'finetune'?")]
    [InlineData(new[] { "frobnicate" }, "unknown command 'frobnicate'; the commands are quickstart, experiment,")]
    [InlineData(new string[0], "give a command: quickstart, experiment,")]
    public void TheCommandNameIsExplained(string[] args, string expected)
    {
        var result = CliRunner.Run(args);
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("audioprune: error: " + expected, result.Error);
        Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
