using AudioPrune.Cli;
using System.CommandLine;
using System.Globalization;
using AudioPrune.Benchmarking;
using AudioPrune.Common;
using AudioPrune.Data;
using AudioPrune.Interop;
using AudioPrune.Training;

namespace AudioPrune.Cli.Commands;

/// <summary>audioprune predict MODEL --audio FILE...: the most likely classes of each recording.</summary>
internal static class PredictCommand
{
    public static Command Create(TextWriter output)
    {
        var model = CommonOptions.ModelArgument();
        var audio = new Option<string[]>("--audio") { Description = "Audio files (WAV or OGG Vorbis)", Required = true, AllowMultipleArgumentsPerToken = true, HelpName = "FILE" };
        var top = new Option<int>("--top") { Description = "How many classes to list per file", DefaultValueFactory = _ => 3 };
        var engine = EngineOption.Create();
        var threads = new Option<int>("--threads") { Description = "Inference threads", DefaultValueFactory = _ => 1 };
        var preset = CommonOptions.FrontEndPreset();
        var json = CommonOptions.JsonOut();
        var command = new Command("predict", """
            Classify recordings with a model's stored front end and normalisation: per file the top classes with
            clip-level probabilities (the mean over the file's segments). Every file is checked first: a file that
            cannot be read stops the command with a one-line error naming it (exit code 2), and nothing is printed
            or written. A model that stores no front end (an imported one) uses the preset whose examples fit its
            input, with a note saying so, or --preset.
            Examples:
              audioprune predict finetuned.safetensors --audio street.wav
              audioprune predict baseline.safetensors --audio a.wav b.ogg --top 5 --json predictions.json
              audioprune predict pruned.safetensors --audio park.wav --engine onnx
              audioprune predict pruned.onnx --audio park.wav
              audioprune predict imported.safetensors --audio park.wav --preset dcase2021 --json -
            """) { model, audio, top, engine, threads, preset, json };
        command.SetAction(parse =>
        {
            var engineName = EngineOption.Checked(parse.GetValue(engine));
            var count = parse.GetValue(top);
            if (count < 1) throw new UserInputException($"--top must be at least 1, got {count}");
            var files = parse.GetValue(audio)!;
            foreach (var file in files) InputFile.Check(file, AudioPrune.Audio.AudioDecoder.Noun);
            var result = JsonOutput.For(parse, json, output);
            var modelName = parse.GetValue(model)!;
            var paths = new CommandPaths().Input("MODEL", modelName).Output("--json", result.Target, standardOutput: true);
            foreach (var file in files) paths.Input(file, file);
            paths.Check();
            var (artifact, runner) = RunnableModel.Open(modelName, engineName, parse.GetValue(threads));
            using var _ = runner;
            var frontEnd = ModelData.FrontEndFor(artifact, parse.GetValue(preset));
            // All files are scored before anything is printed, so a bad file leaves no partial output.
            var predictions = files.Select(f => ClipPrediction.Of(f, artifact, runner, frontEnd)).ToArray();
            ModelNotes.Write(result.Human, ModelNotes.Weights(modelName, artifact), ModelNotes.Labels(modelName, artifact),
                ModelNotes.FrontEnd(modelName, artifact, parse.GetValue(preset), frontEnd));
            EngineOption.WriteForm(runner, result.Human);
            Print(predictions, count, result.Human);
            result.Write(predictions.Select(p => new { File = p.Path, p.Examples, Top = p.Top(count).Select(t => new { Class = t.Name, t.Probability }) }).ToArray());
            return CliApp.Ok;
        });
        return command;
    }

    private static void Print(IEnumerable<ClipPrediction> predictions, int count, TextWriter output)
    {
        var c = CultureInfo.InvariantCulture;
        foreach (var p in predictions)
        {
            output.WriteLine($"{p.Path} ({p.Examples} example{(p.Examples == 1 ? "" : "s")}):");
            foreach (var (name, probability) in p.Top(count)) output.WriteLine(string.Format(c, "  {0,-24} {1:0.0000}", name, probability));
        }
    }
}
