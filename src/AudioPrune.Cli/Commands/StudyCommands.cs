using AudioPrune.Cli;
using System.CommandLine;
using AudioPrune.Common;
using AudioPrune.Study;

namespace AudioPrune.Cli.Commands;

/// <summary>quickstart, experiment and report: whole studies with their report.</summary>
internal static class StudyCommands
{
    public static Command Quickstart(TextWriter output)
    {
        var small = new Option<bool>("--small") { Description = "A quick check on less data with fewer epochs" };
        var outDir = new Option<string>("--out") { Description = "Output folder", DefaultValueFactory = _ => "quickstart-out", HelpName = "DIR" };
        var command = new Command("quickstart", """
            The whole method in one command, on the built-in synthetic scenes (nothing downloaded): train DCASE21_Net,
            prune it with similarity, nystrom and l1 (at equal counts), fine-tune, evaluate, export ONNX, measure
            latency, and write report.md, results.json and plots. Re-running continues an interrupted run.
            Examples:
              audioprune quickstart
              audioprune quickstart --small --out /tmp/qs
            """) { small, outDir };
        command.SetAction(parse => Run(BuiltInStudies.Quickstart(parse.GetValue(small)), parse.GetValue(outDir)!, output));
        return command;
    }

    public static Command Experiment(TextWriter output)
    {
        var config = new Argument<string>("CONFIG") { Description = "Study config (.yaml or .json)" };
        var outDir = new Option<string?>("--out") { Description = "Output folder (default: a folder named after the study beside the config)", HelpName = "DIR" };
        var command = new Command("experiment", """
            Run a declarative pruning study: criteria x layer sets x data fractions x initialisations x seeds.
            Each job has its own folder; finished jobs are skipped on re-run, so an interrupted study resumes.
            Examples:
              audioprune experiment examples/interspeech2022-layers.yaml
              audioprune experiment my-study.json --out runs/my-study
            """) { config, outDir };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(config)!;
            var study = StudyConfigReader.Read(path);
            var folder = parse.GetValue(outDir) ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, study.Name);
            new CommandPaths().Input("CONFIG", path).Input("model", study.Model).Input("data", study.Data).OutputFolder("--out", folder).Check();
            return Run(study, folder, output);
        });
        return command;
    }

    public static Command Report(TextWriter output)
    {
        var dir = new Argument<string>("DIR") { Description = "A study folder (quickstart or experiment output)" };
        var command = new Command("report", """
            Rebuild report.md, results.json and the plots of a study folder from its finished jobs.
            Example:
              audioprune report quickstart-out
            """) { dir };
        command.SetAction(parse =>
        {
            var folder = new StudyFolder(parse.GetValue(dir)!);
            var results = StudyReport.Write(folder, Path.GetFileName(folder.Root));
            output.WriteLine($"wrote {folder.Report} ({results.Rows.Count} rows, {results.Plots.Count} plots)");
            return CliApp.Ok;
        });
        return command;
    }

    private static int Run(StudyConfig study, string outDir, TextWriter output)
    {
        new CommandPaths().OutputFolder("--out", outDir).Check();
        var folder = new StudyFolder(outDir);
        var started = DateTime.UtcNow;
        void Log(string line)
        {
            lock (output) output.WriteLine($"[{DateTime.UtcNow - started:hh\\:mm\\:ss}] {line}");
        }
        new StudyRunner(study, folder, Log).Run();
        var results = StudyReport.Write(folder, study.Name);
        Log($"finished in {(DateTime.UtcNow - started).TotalMinutes:0.0} min");
        output.WriteLine($"wrote {folder.Report}");
        output.WriteLine($"wrote {folder.Results} ({results.Rows.Count} rows, {results.Plots.Count} plots)");
        return CliApp.Ok;
    }
}
