using AudioPrune.Cli;
using System.CommandLine;
using System.Globalization;
using AudioPrune.Audio;
using AudioPrune.Common;
using AudioPrune.Data;
using AudioPrune.Reports;

namespace AudioPrune.Cli.Commands;

/// <summary>audioprune features DATA: fills the feature cache and summarises the dataset.</summary>
internal static class FeaturesCommand
{
    public static Command Create(TextWriter output)
    {
        var data = new Argument<string>("DATA")
        {
            Description = "Dataset folder (DCASE/TAU, ESC-50, UrbanSound8K, one folder per class, or with manifest.csv) or a CSV manifest",
        };
        var preset = new Option<string>("--preset")
        {
            Description = $"Front-end preset ({string.Join(", ", FrontEndSettings.PresetNames)}) or a .json file of settings (a preset and the fields that differ)",
            DefaultValueFactory = _ => "dcase2021",
        };
        var cache = new Option<string?>("--cache") { Description = "Feature cache folder (default: ~/.cache/audioprune/features)", HelpName = "DIR" };
        var strict = new Option<bool>("--strict") { Description = "Stop at the first bad audio file (exit code 2) instead of skipping it" };
        var seed = CommonOptions.Seed();
        var command = new Command("features", """
            Compute log-mel features for a dataset into the cache (in parallel), and print counts per class and split,
            duration statistics, and the files skipped and why.
            Examples:
              audioprune features data/TAU-urban-acoustic-scenes-2020-mobile-development
              audioprune features synth/manifest.csv --preset dcase2021 --cache /tmp/features
              audioprune features ESC-50-master --preset panns --strict
            """) { data, preset, cache, strict, seed };
        command.SetAction(parse =>
        {
            new CommandPaths().Input("DATA", parse.GetValue(data)).OutputFolder("--cache", parse.GetValue(cache)).Check();
            var settings = FrontEndSettings.FromArgument(parse.GetValue(preset)!);
            var options = new DatasetLoadOptions
            {
                CacheDirectory = parse.GetValue(cache),
                Strict = parse.GetValue(strict),
                Splits = new SplitOptions { Seed = parse.GetValue(seed) },
                Log = line => { lock (output) output.WriteLine(line); },
                Warning = TrainingFlags.Warnings(parse),
            };
            using var loaded = DatasetLoader.Load(parse.GetValue(data)!, settings, options);
            Print(loaded, output);
            return CliApp.Ok;
        });
        return command;
    }

    private static void Print(LoadedDataset loaded, TextWriter output)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine();
        output.WriteLine($"dataset: {loaded.Layout} at {loaded.Dataset.Root}, {loaded.ClassNames.Count} classes");
        output.WriteLine($"splits: {loaded.Plan.Method}");
        output.WriteLine($"front end: {loaded.Settings.Preset} (settings {loaded.Settings.Hash}), example {loaded.Settings.ExampleShape}");
        output.WriteLine($"cache: {loaded.CacheDirectory} ({loaded.Computed} computed, {loaded.FromCache} already cached)");
        output.WriteLine();
        List<string[]> rows = [["class", .. loaded.Summary.Select(s => s.Split)]];
        foreach (var name in loaded.ClassNames)
            rows.Add([name, .. loaded.Summary.Select(s => s.ClipsPerClass.GetValueOrDefault(name).ToString(c))]);
        rows.Add(["clips", .. loaded.Summary.Select(s => s.Clips.ToString(c))]);
        rows.Add(["examples", .. loaded.Summary.Select(s => s.Examples.ToString(c))]);
        TextTable.Write(rows, output, rightAlignedFrom: 1);
        var d = loaded.Durations;
        output.WriteLine();
        output.WriteLine(string.Format(c, "durations: {0} files, min {1:0.00} s, mean {2:0.00} s, max {3:0.00} s, total {4:0.0} min",
            d.Count, d.Min, d.Mean, d.Max, d.Total / 60));
        output.WriteLine($"skipped: {loaded.Skipped.Count} file(s)");
        foreach (var s in loaded.Skipped) output.WriteLine($"  {s.Path}: {s.Reason}");
    }
}
