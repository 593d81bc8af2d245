using System.CommandLine;
using AudioPrune.Data;
using AudioPrune.Interop;
using AudioPrune.Training;

namespace AudioPrune.Cli.Commands;

/// <summary>audioprune train MODEL --data DATA --out M.safetensors: trains a network and stores its data settings in it.</summary>
internal static class TrainCommand
{
    public static Command Create(TextWriter output)
    {
        var model = new Option<string>("--model")
        {
            Description = "A zoo name (dcase21, vggish, cnn14, cnn10, cnn6), a .safetensors or .h5 model, or a graph .json (fresh weights)",
            Required = true,
        };
        var flags = new TrainingFlags();
        var command = new Command("train", """
            Train a network on a dataset. The epoch is chosen on the validation split; the test split is scored once
            at the end. Zoo models get the data's class count. The front end and the training split's normalisation
            are stored in the model, so evaluate and predict see the same features. The checkpoint and the CSV log
            (training_log.csv) go to the run folder (default OUT.run/), which one process at a time may train in;
            --resume continues a killed run with the settings it was started with.
            Examples:
              audioprune train --model dcase21 --data synth/manifest.csv --out baseline.safetensors
              audioprune train --model dcase21 --data TAU-2020-mobile --out m.safetensors --epochs 200 --schedule cosine --mixup 0.2 --spec-augment
              audioprune train --model dcase21 --data TAU-2020-mobile --out m.safetensors --resume
              audioprune train --model net.json --data esc50 --out net.safetensors --preset panns --optimizer sgd --lr 0.01
            """) { model };
        foreach (var option in flags.All) command.Options.Add(option);
        command.SetAction(parse =>
        {
            using var owner = flags.Validate(parse, parse.GetValue(model)!);
            var resumed = flags.Resumed(parse, output, InitMode.Pruned, 1.0);
            var seed = resumed?.Options.Seed ?? parse.GetValue(flags.Seed);
            var modelArg = parse.GetValue(model)!;
            var start = ModelLoader.Load(modelArg, seed: seed);
            resumed?.EnsureNetwork(start.Graph);
            using var data = ModelData.Load(start, parse.GetValue(flags.Data)!, flags.LoadOptions(parse, new SplitOptions()),
                reuseModelNormalization: false, parse.GetValue(flags.Preset));
            start = ModelData.ForData(modelArg, start, data, seed);
            var options = resumed?.Options ?? flags.Options(parse, start.Graph.Name, data.Settings, InitMode.Pruned, 1.0);
            TrainingFlags.TrainAndSave(start, data, options, parse.GetValue(flags.Out)!, output);
            return CliApp.Ok;
        });
        return command;
    }
}
