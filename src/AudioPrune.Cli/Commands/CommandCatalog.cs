using System.CommandLine;

namespace AudioPrune.Cli.Commands;

/// <summary>Every command of the program, in the order --help lists them.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> Create(TextWriter output) =>
    [
        StudyCommands.Quickstart(output),
        StudyCommands.Experiment(output),
        StudyCommands.Report(output),
        InspectCommand.Create(output),
        BenchCommand.Create(output),
        PruneCommand.Create(output),
        FeaturesCommand.Create(output),
        SynthCommand.Create(output),
        ImportCommand.Create(output),
        ExportCommand.Create(output),
        TrainCommand.Create(output),
        FinetuneCommand.Create(output),
        EvaluateCommand.Create(output),
        PredictCommand.Create(output),
    ];
}
