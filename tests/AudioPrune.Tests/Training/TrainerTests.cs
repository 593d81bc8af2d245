using AudioPrune.Runtime;
using System.Text.Json;
using AudioPrune.Common;
using AudioPrune.Data;
using AudioPrune.Graph;
using AudioPrune.Training;

namespace AudioPrune.Tests.Training;

[Collection(TorchSerialCollection.Name)]
public sealed class TrainerTests
{
    private static TrainingOptions Options(int epochs = 6, string? runFolder = null) => new()
    {
        Epochs = epochs,
        BatchSize = 16,
        Seed = 11,
        Threads = 1,
        RunFolder = runFolder,
        Optimizer = new OptimizerSettings { LearningRate = 3e-3 },
    };

    [Fact]
    public void Small_network_learns_well_above_chance_and_keeps_the_epoch_with_the_best_validation_accuracy()
    {
        var data = SyntheticData.Splits();
        var result = new Trainer().Fit(SyntheticData.Model(SyntheticData.Graph()), data, Options(epochs: 6));

        Assert.True(result.Validation.ExampleLevel.Accuracy > 0.8, $"validation accuracy {result.Validation.ExampleLevel.Accuracy}");
        Assert.True(result.Test!.ExampleLevel.Accuracy > 0.8, $"test accuracy {result.Test.ExampleLevel.Accuracy}");
        var bestByValidation = result.History.MaxBy(h => h.ValidationAccuracy)!.Epoch; // MaxBy keeps the first of equals
        Assert.Equal(bestByValidation, result.Record.BestEpoch);
        Assert.Equal(result.History[bestByValidation - 1].ValidationAccuracy, result.Validation.ExampleLevel.Accuracy, 12);
        Assert.Equal(6, result.History.Count);
    }

    [Fact]
    public void The_test_split_has_no_influence_on_the_chosen_epoch_or_weights()
    {
        var honestTest = SyntheticData.Make(20, 9);
        // Same examples with every label moved to the next class: a test split that disagrees with validation.
        var misleadingTest = SyntheticData.Make(20, 9, labelOf: c => (c + 1) % SyntheticData.Classes);
        var start = SyntheticData.Model(SyntheticData.Graph());

        var honest = new Trainer().Fit(start, SyntheticData.Splits(test: honestTest), Options(epochs: 4));
        var misleading = new Trainer().Fit(start, SyntheticData.Splits(test: misleadingTest), Options(epochs: 4));

        Assert.Equal(honest.Record.BestEpoch, misleading.Record.BestEpoch);
        AssertWeightsEqual(honest.Best.Weights, misleading.Best.Weights, tolerance: 0);
        Assert.True(misleading.Validation.ExampleLevel.Accuracy > 0.8);
        Assert.True(misleading.Test!.ExampleLevel.Accuracy < 0.3, "the chosen model follows validation, so it scores badly on the relabelled test split");
    }

    [Fact]
    public void Killed_run_resumed_from_its_checkpoint_ends_with_the_uninterrupted_weights()
    {
        using var temp = new TempDirectory();
        var data = SyntheticData.Splits();
        var start = SyntheticData.Model(SyntheticData.Graph());
        var options = Options(epochs: 4) with
        {
            Augmentation = new AugmentationSettings { MixupAlpha = 0.4, FrequencyMasks = 1, FrequencyMaskWidth = 3, TimeMasks = 1, TimeMaskWidth = 4 },
            Schedule = new LearningRateSchedule { Kind = ScheduleKind.Cosine, MinimumFactor = 0.1 },
        };

        var whole = new Trainer().Fit(start, data, options with { RunFolder = temp.File("whole") });

        using var cancel = new CancellationTokenSource();
        var killAfterEpoch2 = new Reporter(e => { if (e is EpochReport { Record.Epoch: 2 }) cancel.Cancel(); });
        Assert.ThrowsAny<OperationCanceledException>(() =>
            new Trainer().Fit(start, data, options with { RunFolder = temp.File("killed") }, killAfterEpoch2, cancel.Token));
        Assert.Equal(3, File.ReadAllLines(temp.File("killed/" + TrainingLog.FileName)).Length); // header + 2 epochs

        var resumed = new Trainer().Resume(temp.File("killed"), data);

        AssertWeightsEqual(whole.FinalWeights, resumed.FinalWeights, tolerance: 1e-6);
        AssertWeightsEqual(whole.Best.Weights, resumed.Best.Weights, tolerance: 1e-6);
        Assert.Equal(whole.History.Select(h => h.TrainLoss), resumed.History.Select(h => h.TrainLoss));
        Assert.Equal(whole.Record.BestEpoch, resumed.Record.BestEpoch);
        Assert.Equal(5, File.ReadAllLines(temp.File("killed/" + TrainingLog.FileName)).Length);
    }

    [Fact]
    public void The_checkpoint_records_the_module_padding_and_resuming_builds_the_same_module()
    {
        using var temp = new TempDirectory();
        var data = SyntheticData.Splits();
        using var cancel = new CancellationTokenSource();
        var killAfterEpoch1 = new Reporter(e => { if (e is EpochReport { Record.Epoch: 1 }) cancel.Cancel(); });
        Assert.ThrowsAny<OperationCanceledException>(() => new Trainer().Fit(SyntheticData.Model(SyntheticData.Graph()), data,
            Options(epochs: 3, runFolder: temp.Path), killAfterEpoch1, cancel.Token));
        var checkpoint = Path.Combine(temp.Path, "checkpoint.bin");
        var (magic, state, tensors) = ReadCheckpoint(checkpoint);
        // The tiny network's 8-channel layers are padded wherever the CPU has 16-channel blocks.
        var padded = CpuPolicy.Current.OneDnnChannelBlock > 0;
        Assert.Equal(padded, state["padded_channels"]!.GetValue<bool>());

        // Claiming the other module makes the saved tensors the wrong shapes: resuming must notice, not misload.
        state["padded_channels"] = !padded;
        using (var writer = new BinaryWriter(File.Create(checkpoint)))
        {
            writer.Write(magic);
            writer.Write(state.ToJsonString());
            writer.Write(tensors);
        }
        var error = Assert.Throws<UserInputException>(() => new Trainer().Resume(temp.Path, data));
        Assert.Contains("checkpoint", error.Message);
    }

    private static (string Magic, System.Text.Json.Nodes.JsonObject State, byte[] Tensors) ReadCheckpoint(string path)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        var magic = reader.ReadString();
        var state = System.Text.Json.Nodes.JsonNode.Parse(reader.ReadString())!.AsObject();
        return (magic, state, reader.ReadBytes((int)(reader.BaseStream.Length - reader.BaseStream.Position)));
    }

    [Fact]
    public void Resume_refuses_different_data()
    {
        using var temp = new TempDirectory();
        new Trainer().Fit(SyntheticData.Model(SyntheticData.Graph()), SyntheticData.Splits(), Options(epochs: 1, runFolder: temp.Path));
        var other = SyntheticData.Splits(seed: 99);
        var error = Assert.Throws<UserInputException>(() => new Trainer().Resume(temp.Path, other));
        Assert.Contains("other training/validation data", error.Message);
    }

    [Fact]
    public void Run_folder_holds_a_log_and_a_best_model_that_records_its_training()
    {
        using var temp = new TempDirectory();
        var options = Options(epochs: 3, runFolder: temp.Path) with { DataFraction = 0.75 };
        var result = new Trainer().Fit(SyntheticData.Model(SyntheticData.Graph()), SyntheticData.Splits(), options);

        var log = File.ReadAllLines(Path.Combine(temp.Path, TrainingLog.FileName));
        Assert.Equal(TrainingLog.Header, log[0]);
        Assert.Equal(4, log.Length);
        Assert.All(log.Skip(1), line => Assert.Equal(10, line.Split(',').Length));

        var saved = ModelArtifact.Load(Path.Combine(temp.Path, Trainer.BestModelFileName));
        AssertWeightsEqual(result.Best.Weights, saved.Weights, tolerance: 0);
        Assert.Equal(SyntheticData.ClassNames, saved.Labels);
        using var record = JsonDocument.Parse(saved.Metadata[ModelArtifact.TrainingKey]);
        var root = record.RootElement;
        Assert.Equal(result.Record.BestEpoch, root.GetProperty("best_epoch").GetInt32());
        Assert.Equal(0.75, root.GetProperty("data_fraction").GetDouble());
        Assert.Equal(11, root.GetProperty("seed").GetInt32());
        Assert.Equal(1, root.GetProperty("threads").GetInt32());
        Assert.Equal("ValidationAccuracy", root.GetProperty("selection_metric").GetString());
        Assert.Equal("Adam", root.GetProperty("optimizer").GetProperty("kind").GetString());
        Assert.Equal(0.003, root.GetProperty("optimizer").GetProperty("learning_rate").GetDouble());
    }

    [Fact]
    public void Patience_stops_the_run_once_validation_stops_improving()
    {
        var options = Options(epochs: 25) with { Patience = 1, Selection = SelectionMetric.ValidationAccuracy };
        var result = new Trainer().Fit(SyntheticData.Model(SyntheticData.Graph()), SyntheticData.Splits(), options);
        Assert.True(result.Record.StoppedEarly);
        Assert.Equal(result.Record.BestEpoch + 1, result.Record.EpochsRun);
        Assert.True(result.History.Count < 25);
    }

    [Fact]
    public void Random_init_ignores_the_start_weights_and_depends_only_on_the_seed()
    {
        var graph = SyntheticData.Graph();
        var options = Options(epochs: 1) with { Init = InitMode.Random };
        var a = new Trainer().Fit(SyntheticData.Model(graph, seed: 1), SyntheticData.Splits(), options);
        var b = new Trainer().Fit(SyntheticData.Model(graph, seed: 2), SyntheticData.Splits(), options);
        AssertWeightsEqual(a.FinalWeights, b.FinalWeights, tolerance: 0);

        var pruned = new Trainer().Fit(SyntheticData.Model(graph, seed: 1), SyntheticData.Splits(), options with { Init = InitMode.Pruned });
        Assert.NotEqual(a.FinalWeights["conv1.weight"].Data, pruned.FinalWeights["conv1.weight"].Data);
    }

    [Fact]
    public void Fine_tuning_a_narrower_network_cut_from_a_trained_one_recovers_its_accuracy()
    {
        var data = SyntheticData.Splits();
        var wide = new Trainer().Fit(SyntheticData.Model(SyntheticData.Graph(16, 16)), data, Options(epochs: 5));
        var narrowGraph = SyntheticData.Graph(6, 6);
        var narrow = ModelArtifact.Create(narrowGraph, KeepFirstFilters(wide.Best.Weights, 6, 6), SyntheticData.ClassNames);
        var before = Evaluator.Evaluate(narrow, data.Validation).ExampleLevel.Accuracy;

        var tuned = new Trainer().Fit(narrow, data, Options(epochs: 3));

        var wideAccuracy = wide.Validation.ExampleLevel.Accuracy;
        var after = tuned.Validation.ExampleLevel.Accuracy;
        Assert.True(after >= wideAccuracy - 0.05, $"fine-tuned {after} vs wide {wideAccuracy} (before fine-tuning {before})");
        Assert.True(after >= before);
        Assert.True(tuned.Test!.ExampleLevel.Accuracy > 0.8);
    }

    [Fact]
    public void A_sigmoid_head_trains_with_binary_cross_entropy_and_reports_mean_average_precision()
    {
        var graph = SyntheticData.Graph(head: AudioPrune.Graph.Nodes.ActivationKind.Sigmoid);
        var result = new Trainer().Fit(SyntheticData.Model(graph), SyntheticData.Splits(), Options(epochs: 4));
        Assert.Equal(HeadKind.Sigmoid, result.Record.Head);
        Assert.NotNull(result.Test!.ExampleLevel.MeanAveragePrecision);
        Assert.True(result.Test.ExampleLevel.MeanAveragePrecision > 0.8, $"mAP {result.Test.ExampleLevel.MeanAveragePrecision}");
        Assert.True(result.Test.ExampleLevel.Accuracy > 0.7);
    }

    [Fact]
    public void Sgd_with_a_step_schedule_uses_the_scheduled_rates()
    {
        var options = Options(epochs: 3) with
        {
            Optimizer = new OptimizerSettings { Kind = OptimizerKind.Sgd, LearningRate = 0.05, Momentum = 0.9, WeightDecay = 1e-4 },
            Schedule = new LearningRateSchedule { Kind = ScheduleKind.Step, StepEpochs = 2, Gamma = 0.5 },
        };
        var events = new List<TrainingEvent>();
        var result = new Trainer().Fit(SyntheticData.Model(SyntheticData.Graph()), SyntheticData.Splits(), options, new Reporter(events.Add));
        Assert.Equal([0.05, 0.05, 0.025], result.History.Select(h => Math.Round(h.LearningRate, 9)));
        Assert.Equal(3, events.OfType<EpochReport>().Count());
        Assert.Equal(3 * 10, events.OfType<BatchReport>().Count()); // 160 examples in batches of 16
        Assert.True(result.Validation.ExampleLevel.Accuracy > 0.6);
    }

    [Fact]
    public void Augmentation_changes_training_and_repeats_exactly_with_the_same_seed()
    {
        var data = SyntheticData.Splits();
        var start = SyntheticData.Model(SyntheticData.Graph());
        var plain = new Trainer().Fit(start, data, Options(epochs: 1));
        var augmented = Options(epochs: 1) with { Augmentation = new AugmentationSettings { MixupAlpha = 0.3, TimeMasks = 2, TimeMaskWidth = 5 } };
        var first = new Trainer().Fit(start, data, augmented);
        var second = new Trainer().Fit(start, data, augmented);
        AssertWeightsEqual(first.FinalWeights, second.FinalWeights, tolerance: 0);
        Assert.NotEqual(plain.FinalWeights["conv1.weight"].Data, first.FinalWeights["conv1.weight"].Data);
    }

    internal static WeightMap KeepFirstFilters(WeightMap wide, int width1, int width2)
    {
        var narrow = new WeightMap();
        foreach (var (name, tensor) in wide.Entries)
        {
            narrow[name] = name switch
            {
                "conv1.weight" => Slice(tensor, [width1, 1, 3, 3]),
                "conv2.weight" => Slice(tensor, [width2, width1, 3, 3]),
                "fc.weight" => Reshape(Slice(Reshape(tensor, [tensor.Shape[0], tensor.Shape[1] / 20, 20]), [tensor.Shape[0], width2, 20]), [tensor.Shape[0], width2 * 20]),
                "fc.bias" => tensor,
                _ when name.StartsWith("conv1.", StringComparison.Ordinal) || name.StartsWith("bn1.", StringComparison.Ordinal) => Slice(tensor, [width1]),
                _ => Slice(tensor, [width2]),
            };
        }
        return narrow;
    }

    /// <summary>The leading block of a tensor: the first n[d] indices along each axis.</summary>
    private static TensorData Slice(TensorData source, int[] shape)
    {
        var result = TensorData.Zeros(shape);
        var index = new int[shape.Length];
        for (var i = 0; i < result.Data.Length; i++)
        {
            var rest = i;
            for (var d = shape.Length - 1; d >= 0; d--) { index[d] = rest % shape[d]; rest /= shape[d]; }
            var offset = 0;
            for (var d = 0; d < shape.Length; d++) offset = offset * source.Shape[d] + index[d];
            result.Data[i] = source.Data[offset];
        }
        return result;
    }

    private static TensorData Reshape(TensorData t, int[] shape) => new(shape, t.Data);

    internal static void AssertWeightsEqual(WeightMap expected, WeightMap actual, double tolerance)
    {
        Assert.Equal(expected.Names, actual.Names);
        foreach (var name in expected.Names)
        {
            var e = expected[name].Data;
            var a = actual[name].Data;
            Assert.Equal(e.Length, a.Length);
            var worst = e.Zip(a, (x, y) => Math.Abs((double)x - y)).DefaultIfEmpty(0).Max();
            Assert.True(worst <= tolerance, $"{name}: largest difference {worst}");
        }
    }
}
