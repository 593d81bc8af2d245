using System.CommandLine;
using AudioPrune.Cli.Commands;
using AudioPrune.Common;
using AudioPrune.Graph;

namespace AudioPrune.Cli;

/// <summary>
/// The command line: builds the commands, runs one, and turns failures into exit codes:
/// 0 success, 1 a run that failed unexpectedly, 2 bad input (a one-line message naming the file or value).
/// </summary>
internal static class CliApp
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int BadInput = 2;

    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Show stack traces and extra detail on errors",
        Recursive = true,
    };

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var root = Root(output);
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0 && !args.Any(a => a is "--help" or "-h" or "-?"))
        {
            var message = CommandNames.Problem(root, args) ?? $"{parsed.Errors[0].Message} (see 'audioprune {FirstCommand(args)}--help')";
            error.WriteLine($"audioprune: error: {message}");
            return BadInput;
        }
        var verbose = parsed.GetValue(Verbose);
        try
        {
            return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false, Output = output, Error = error });
        }
        catch (Exception e) when (UserMessage(e) is { } message)
        {
            error.WriteLine($"audioprune: error: {message}");
            if (verbose) error.WriteLine(e);
            return BadInput;
        }
        catch (Exception e)
        {
            error.WriteLine($"audioprune: failed: {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}");
            error.WriteLine(verbose ? e.ToString() : "(run again with --verbose for the stack trace)");
            return Failed;
        }
    }

    /// <summary>The program's command tree: every command with its options, writing to <paramref name="output"/>.</summary>
    internal static RootCommand Root(TextWriter output)
    {
        var root = new RootCommand("AudioPrune: make audio CNNs smaller and faster by passive filter pruning, and measure it.");
        root.Options.Add(Verbose);
        foreach (var command in CommandCatalog.Create(output)) root.Subcommands.Add(command);
        return root;
    }

    /// <summary>The one-line message of an error caused by the user's input, or null for an internal failure.</summary>
    private static string? UserMessage(Exception e) => e switch
    {
        UserInputException u => u.MessageNaming(ParameterFlags.Flag).ReplaceLineEndings(" "),
        GraphException => e.Message.ReplaceLineEndings(" "),
        FileNotFoundException f => $"{f.FileName}: file not found",
        DirectoryNotFoundException d => d.Message,
        UnauthorizedAccessException u => u.Message,
        _ => null,
    };

    private static string FirstCommand(string[] args) =>
        args.FirstOrDefault(a => !a.StartsWith('-')) is { } name ? name + " " : "";
}
