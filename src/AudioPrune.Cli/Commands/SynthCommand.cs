using AudioPrune.Cli;
using System.CommandLine;
using AudioPrune.Audio;
using AudioPrune.Common;

namespace AudioPrune.Cli.Commands;

/// <summary>audioprune synth OUT: writes the built-in synthetic acoustic-scene dataset.</summary>
internal static class SynthCommand
{
    public static Command Create(TextWriter output)
    {
        var outDir = new Argument<string>("OUT") { Description = "Folder to write audio/*.wav and manifest.csv into" };
        var clips = new Option<int>("--clips") { Description = "Number of clips", DefaultValueFactory = _ => 400 };
        var seconds = new Option<double>("--seconds") { Description = "Seconds per clip", DefaultValueFactory = _ => 10.0 };
        var classes = new Option<int>("--classes")
        {
            Description = $"Number of scene classes (2..{SyntheticSceneCatalog.Scenes.Count})",
            DefaultValueFactory = _ => SyntheticSceneCatalog.Scenes.Count,
        };
        var seed = CommonOptions.Seed();
        var command = new Command("synth", """
            Write a seeded synthetic acoustic-scene dataset (44.1 kHz mono WAV files with a manifest.csv holding
            filename,label,split,group,device; some devices appear only in validation and test).
            Examples:
              audioprune synth synth-scenes
              audioprune synth small --clips 80 --seconds 2 --seed 3
            """) { outDir, clips, seconds, classes, seed };
        command.SetAction(parse =>
        {
            new CommandPaths().OutputFolder("OUT", parse.GetValue(outDir)).Check();
            var options = new SyntheticSceneOptions
            {
                Clips = parse.GetValue(clips),
                Seconds = parse.GetValue(seconds),
                Classes = parse.GetValue(classes),
                Seed = parse.GetValue(seed),
            };
            var manifest = SyntheticScenes.Write(parse.GetValue(outDir)!, options);
            output.WriteLine($"wrote {options.Clips} clips of {options.Seconds:0.##} s ({options.Classes} scenes) and {manifest}");
            return CliApp.Ok;
        });
        return command;
    }
}
