using System.CommandLine;
using AudioPrune.Data;
using AudioPrune.Interop;
using AudioPrune.Training;

namespace AudioPrune.Cli.Commands;

/// <summary>audioprune finetune PRUNED --data DATA --out M.safetensors: fine-tunes a (pruned) model on all or part of the training split.</summary>
internal static class FinetuneCommand
{
    public static Command Create(TextWriter output)
    {
        var model = new Argument<string>("PRUNED") { Description = "The model to fine-tune (.safetensors, usually from 'audioprune prune')" };
        var fraction = new Option<double>("--fraction")
        {
            Description = "Fraction of the training split to fine-tune on (validation and test are never reduced)", DefaultValueFactory = _ => 1.0,
        };
        var stratified = new Option<bool>("--stratified") { Description = "Draw the subset per class (--no-stratified: uniformly)", DefaultValueFactory = _ => true };
        var noStratified = new Option<bool>("--no-stratified") { Description = "Draw the training subset uniformly, not per class" };
        var init = new Option<InitMode>("--init") { Description = "pruned: start from the model's weights; random: same architecture, fresh weights", DefaultValueFactory = _ => InitMode.Pruned };
        var teacher = new Option<string?>("--teacher")
        {
            Description = "Distil from this model (usually the unpruned parent): loss (1-w) CE + w T^2 KL(teacher || student)", HelpName = "MODEL",
        };
        var kdWeight = new Option<double>("--kd-weight") { Description = "Distillation weight w in [0, 1] (with --teacher)", DefaultValueFactory = _ => DistillationSettings.DefaultWeight };
        var kdTemperature = new Option<double>("--kd-temperature") { Description = "Distillation temperature T > 0 (with --teacher)", DefaultValueFactory = _ => DistillationSettings.DefaultTemperature };
        var flags = new TrainingFlags();
        var command = new Command("finetune", """
            Fine-tune a model, usually a pruned one, with the front end and normalisation stored in it.
            Defaults follow the method's recipe: Adam, lr 1e-3, batch 32 (64 for vggish), 30 epochs, epoch chosen
            on the validation split. --fraction keeps a seeded (by --seed), class-stratified subset of the training split.
            Examples:
              audioprune finetune pruned.safetensors --data TAU-2020-mobile --out finetuned.safetensors
              audioprune finetune pruned.safetensors --data TAU-2020-mobile --out f50.safetensors --fraction 0.5 --seed 2
              audioprune finetune pruned.safetensors --data synth/manifest.csv --out scratch.safetensors --init random
              audioprune finetune pruned.safetensors --data TAU-2020-mobile --out kd.safetensors --teacher baseline.safetensors --kd-weight 0.5
            """) { model, fraction, stratified, noStratified, init, teacher, kdWeight, kdTemperature };
        foreach (var option in flags.All) command.Options.Add(option);
        command.SetAction(parse =>
        {
            var share = parse.GetValue(fraction);
            if (!(share > 0 && share <= 1)) throw new UserInputException($"--fraction must be in (0, 1], got {share}");
            var teacherFile = parse.GetValue(teacher);
            if (teacherFile is null && (parse.GetResult(kdWeight) is { Implicit: false } || parse.GetResult(kdTemperature) is { Implicit: false }))
                throw new UserInputException("--kd-weight and --kd-temperature need --teacher MODEL");
            if (teacherFile is not null) new DistillationSettings(parse.GetValue(kdWeight), parse.GetValue(kdTemperature)).Validate();
            using var owner = flags.Validate(parse, parse.GetValue(model)!, teacherFile);
            var resumed = flags.Resumed(parse, output, parse.GetValue(init), share, fraction, init);
            share = resumed?.Options.DataFraction ?? share;
            var start = ModelLoader.Load(parse.GetValue(model)!);
            resumed?.EnsureNetwork(start.Graph);
            var seed = resumed?.Options.Seed ?? parse.GetValue(flags.Seed);
            var splits = new SplitOptions
            {
                TrainFraction = share,
                SubsetSeed = seed,
                StratifiedSubset = parse.GetValue(stratified) && !parse.GetValue(noStratified),
            };
            using var data = ModelData.Load(start, parse.GetValue(flags.Data)!, flags.LoadOptions(parse, splits),
                reuseModelNormalization: true, parse.GetValue(flags.Preset));
            start = ModelData.WithDataSettings(start, data);
            var options = resumed?.Options ?? flags.Options(parse, start.Graph.Name, data.Settings, parse.GetValue(init), share) with
            {
                Distillation = teacherFile is null ? null : new DistillationSettings(parse.GetValue(kdWeight), parse.GetValue(kdTemperature)),
            };
            var teacherModel = teacherFile is null ? null : ModelLoader.Load(teacherFile);
            TrainingFlags.TrainAndSave(start, data, options, parse.GetValue(flags.Out)!, output, teacherModel);
            return CliApp.Ok;
        });
        return command;
    }
}
