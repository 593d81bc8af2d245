using AudioPrune.Common;
using AudioPrune.Data;
using AudioPrune.Graph;
using AudioPrune.Training;

namespace AudioPrune.Tests.Training;

/// <summary>Bad input fails with a clear message before any training work (no run folder is created).</summary>
[Collection(TorchSerialCollection.Name)]
public sealed class TrainingInputTests
{
    private static TrainingOptions Options(string folder) => new() { Epochs = 1, BatchSize = 16, RunFolder = folder };

    private static void AssertRejected(DataSplits data, ModelArtifact model, string expected, Func<string, TrainingOptions>? options = null)
    {
        using var temp = new TempDirectory();
        var folder = temp.File("run");
        var error = Assert.Throws<UserInputException>(() => new Trainer().Fit(model, data, (options ?? Options)(folder)));
        Assert.Contains(expected, error.Message);
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public void An_empty_training_split_is_rejected()
    {
        var full = SyntheticData.Splits();
        var empty = InMemoryExampleSet.Subset(full.Train, []);
        AssertRejected(full with { Train = empty }, SyntheticData.Model(SyntheticData.Graph()), "training split has no examples");
    }

    [Fact]
    public void A_class_missing_from_training_but_present_in_test_is_rejected()
    {
        var full = SyntheticData.Splits();
        var withoutHigh = Enumerable.Range(0, full.Train.Count).Where(i => full.Train.Label(i) != 3).ToArray();
        var data = full with { Train = InMemoryExampleSet.Subset(full.Train, withoutHigh) };
        AssertRejected(data, SyntheticData.Model(SyntheticData.Graph()), "class 'high' occurs in the validation split");
    }

    [Fact]
    public void A_model_with_another_number_of_outputs_is_rejected()
    {
        var graph = new SequentialBuilder("three", SyntheticData.Input).Flatten("flatten").Linear("fc", 3)
            .Activation("softmax", AudioPrune.Graph.Nodes.ActivationKind.Softmax).Build();
        AssertRejected(SyntheticData.Splits(), ModelArtifact.Create(graph, WeightInitializer.Initialize(graph, 1)), "the data has 4 classes but model 'three' has 3 outputs");
    }

    [Fact]
    public void A_model_for_another_input_shape_is_rejected()
    {
        var graph = new SequentialBuilder("wide_input", new Shape(1, 16, 40)).Flatten("flatten").Linear("fc", 4).Build();
        AssertRejected(SyntheticData.Splits(), ModelArtifact.Create(graph, WeightInitializer.Initialize(graph, 1)), "examples are 1x16x20 but model 'wide_input' takes 1x16x40");
    }

    [Fact]
    public void A_model_whose_classes_are_the_data_classes_in_another_order_is_rejected()
    {
        var graph = SyntheticData.Graph();
        var shuffled = ModelArtifact.Create(graph, WeightInitializer.Initialize(graph, 1), ["high", "low", "low_mid", "high_mid"]);
        AssertRejected(SyntheticData.Splits(), shuffled, "not the data's classes in the same order");
    }

    [Fact]
    public void Invalid_settings_are_rejected()
    {
        var model = SyntheticData.Model(SyntheticData.Graph());
        AssertRejected(SyntheticData.Splits(), model, "learning rate", f => Options(f) with { Optimizer = new OptimizerSettings { LearningRate = -1 } });
        AssertRejected(SyntheticData.Splits(), model, "data fraction", f => Options(f) with { DataFraction = 1.5 });
        AssertRejected(SyntheticData.Splits(), model, "batch size", f => Options(f) with { BatchSize = 0 });
    }

    [Fact]
    public void A_diverging_loss_stops_with_the_epoch_named_and_keeps_the_last_good_checkpoint()
    {
        using var temp = new TempDirectory();
        var full = SyntheticData.Splits();
        var poisoned = full with { Train = new NonFiniteAfter(full.Train, copiesBeforePoison: full.Train.Count + 8) };
        var options = new TrainingOptions { Epochs = 3, BatchSize = 16, Seed = 2, Threads = 1, RunFolder = temp.Path };

        var error = Assert.Throws<UserInputException>(() => new Trainer().Fit(SyntheticData.Model(SyntheticData.Graph()), poisoned, options));

        Assert.Contains("training diverged", error.Message);
        Assert.Contains("epoch 2", error.Message);
        Assert.Contains("last good checkpoint (epoch 1)", error.Message);
        Assert.Equal(2, File.ReadAllLines(Path.Combine(temp.Path, TrainingLog.FileName)).Length);
        var best = ModelArtifact.Load(Path.Combine(temp.Path, Trainer.BestModelFileName));
        Assert.Contains("\"best_epoch\": 1", best.Metadata[ModelArtifact.TrainingKey]);
    }

    /// <summary>Serves the real examples, then NaN features once a number of copies have been made (the second epoch).</summary>
    private sealed class NonFiniteAfter(IExampleSet inner, int copiesBeforePoison) : IExampleSet
    {
        private int copies;
        public Shape ExampleShape => inner.ExampleShape;
        public IReadOnlyList<string> ClassNames => inner.ClassNames;
        public int Count => inner.Count;
        public int Label(int index) => inner.Label(index);
        public string ClipId(int index) => inner.ClipId(index);

        public void CopyFeatures(int index, Span<float> destination)
        {
            inner.CopyFeatures(index, destination);
            if (++copies > copiesBeforePoison) destination.Fill(float.NaN);
        }
    }
}
