using AudioPrune.Data;
using AudioPrune.Graph;
using AudioPrune.Graph.Nodes;
using AudioPrune.Pruning.Planning;
using AudioPrune.Training;
using TorchSharp;

namespace AudioPrune.Tests.Training;

/// <summary>Fine-tuning with a teacher: the loss as documented, plain training at weight 0, and a case where it must help.</summary>
[Collection(TorchSerialCollection.Name)]
public sealed class DistillationTests
{
    private static TrainingOptions Options(int epochs, DistillationSettings? distillation = null) => new()
    {
        Epochs = epochs, BatchSize = 16, Seed = 5, Threads = 1, Distillation = distillation,
        Optimizer = new OptimizerSettings { LearningRate = 3e-3 },
    };

    [Fact]
    public void At_weight_zero_distillation_is_plain_training_bit_for_bit()
    {
        var data = SyntheticData.Splits();
        var start = SyntheticData.Model(SyntheticData.Graph());
        var teacher = SyntheticData.Model(SyntheticData.Graph(), seed: 9);
        var plain = new Trainer().Fit(start, data, Options(3));
        var distilled = new Trainer().Fit(start, data, Options(3, new DistillationSettings(Weight: 0)), teacher: teacher);
        foreach (var name in plain.Best.Weights.Names) Assert.Equal(plain.Best.Weights[name].Data, distilled.Best.Weights[name].Data);
        Assert.Equal(plain.History.Select(h => h.TrainLoss), distilled.History.Select(h => h.TrainLoss));
        Assert.NotNull(distilled.Record.Distillation?.Teacher);
    }

    [Fact]
    public void The_divergence_is_zero_from_an_identical_teacher_and_the_hand_computed_kl_otherwise()
    {
        using var logits = torch.tensor(new float[] { 1f, 2f, 0.5f, -1f, 0f, 3f }, [2, 3]);
        using var same = torch.nn.functional.softmax(logits / 2.0, 1);
        using var zero = Distillation.Divergence(HeadKind.Softmax, logits, same, temperature: 2);
        Assert.Equal(0, zero.item<float>(), 6);

        // Teacher [0.5, 0.5], student logits [0, ln 3] at T = 1: q = [0.25, 0.75];
        // KL = 0.5 ln(0.5/0.25) + 0.5 ln(0.5/0.75) = 0.5 (ln 2 + ln 2/3) = 0.5 ln(4/3) = 0.143841.
        using var student = torch.tensor(new float[] { 0f, MathF.Log(3) }, [1, 2]);
        using var teacher = torch.tensor(new float[] { 0.5f, 0.5f }, [1, 2]);
        using var kl = Distillation.Divergence(HeadKind.Softmax, student, teacher, temperature: 1);
        Assert.Equal(0.5 * Math.Log(4.0 / 3.0), kl.item<float>(), 5);

        // Sigmoid heads: per class Bernoulli KL. Teacher p = 0.5, student sigmoid(ln 3) = 0.75: the same 0.143841.
        using var one = torch.tensor(new float[] { MathF.Log(3) }, [1, 1]);
        using var half = torch.tensor(new float[] { 0.5f }, [1, 1]);
        using var bernoulli = Distillation.Divergence(HeadKind.Sigmoid, one, half, temperature: 1);
        Assert.Equal(0.5 * Math.Log(4.0 / 3.0), bernoulli.item<float>(), 5);
        using var sameSigmoid = Distillation.Divergence(HeadKind.Sigmoid, one, torch.sigmoid(one), temperature: 1);
        Assert.Equal(0, sameSigmoid.item<float>(), 6);
    }

    [Fact]
    public void A_teacher_equal_to_the_student_at_initialisation_gives_no_divergence()
    {
        // No dropout or batch norm, so the student's training-mode outputs are the teacher's evaluation-mode ones.
        var graph = new SequentialBuilder("plain", SyntheticData.Input).Conv("conv1", 4, 3).Relu("relu1")
            .Pool("pool1", PoolKind.Max, Size2.Square(2)).Flatten("flatten").Linear("fc", SyntheticData.Classes).Activation("head", ActivationKind.Softmax)
            .Build();
        var student = SyntheticData.Model(graph, seed: 4);
        var set = SyntheticData.Make(6, 31);
        var soft = Distillation.SoftTargets(student, set, temperature: 2, batchSize: 8);
        using var module = AudioPrune.Graph.Torch.TorchGraphModule.Create(graph.WithoutProbabilityHead(), student.Weights);
        module.train();
        var batch = new BatchAssembler(set, set.Count);
        batch.Load(Enumerable.Range(0, set.Count).ToArray(), soft);
        using var features = batch.FeatureTensor();
        using var teacher = batch.TeacherTensor()!;
        using var logits = module.call(features);
        using var divergence = Distillation.Divergence(HeadKind.Softmax, logits, teacher, temperature: 2);
        Assert.Equal(0, divergence.item<float>(), 6);
    }

    [Fact]
    public void The_loss_blends_cross_entropy_and_t_squared_times_the_divergence()
    {
        using var logits = torch.tensor(new float[] { 0.2f, -0.4f, 1.1f }, [1, 3]);
        using var targets = torch.tensor(new float[] { 0f, 0f, 1f }, [1, 3]);
        using var teacher = torch.tensor(new float[] { 0.2f, 0.3f, 0.5f }, [1, 3]);
        var settings = new DistillationSettings(Weight: 0.25, Temperature: 3);
        using var loss = Distillation.Loss(HeadKind.Softmax, logits, targets, teacher, settings);
        using var ce = ModelHead.Loss(HeadKind.Softmax, logits, targets);
        using var kl = Distillation.Divergence(HeadKind.Softmax, logits, teacher, 3);
        Assert.Equal(0.75 * ce.item<float>() + 0.25 * 9 * kl.item<float>(), loss.item<float>(), 5);
    }

    [Fact]
    public void A_pruned_network_fine_tuned_on_wrong_labels_keeps_its_accuracy_with_its_parent_as_teacher()
    {
        // The parent learns the bands from clean data; the pruned child is then fine-tuned on a split where most
        // labels name the next class. Alone it learns the wrong names; with the parent as teacher it keeps the right ones.
        var clean = SyntheticData.Splits();
        var parent = new Trainer().Fit(SyntheticData.Model(SyntheticData.Graph()), clean, Options(6)).Best;
        var pruned = PruningPlanner.Run(parent.Graph, parent.Weights, new PruningRequest { Method = "l1", Keep = [4] });
        var child = PrunedModel.Create(parent, pruned);
        var random = new Random(3);
        var wrong = SyntheticData.Make(40, 21, labelOf: c => random.NextDouble() < 0.7 ? (c + 1) % SyntheticData.Classes : c);
        var noisy = new DataSplits(wrong, SyntheticData.Make(20, 22), SyntheticData.Make(20, 23));

        var alone = new Trainer().Fit(child, noisy, Options(6));
        var taught = new Trainer().Fit(child, noisy, Options(6, new DistillationSettings(Weight: 0.9, Temperature: 2)), teacher: parent);

        var aloneAccuracy = alone.Test!.ExampleLevel.Accuracy;
        var taughtAccuracy = taught.Test!.ExampleLevel.Accuracy;
        Assert.True(taughtAccuracy >= aloneAccuracy + 0.2, $"with the teacher {taughtAccuracy:P1}, alone {aloneAccuracy:P1}");
        Assert.True(taughtAccuracy > 0.7, $"with the teacher {taughtAccuracy:P1}");
    }

    [Fact]
    public void A_teacher_for_other_classes_or_settings_outside_their_range_are_refused()
    {
        var data = SyntheticData.Splits();
        var start = SyntheticData.Model(SyntheticData.Graph());
        var renamed = start with { Labels = ["a", "b", "c", "d"] };
        var e = Assert.Throws<UserInputException>(() => new Trainer().Fit(start, data, Options(1, new DistillationSettings()), teacher: renamed));
        Assert.Contains("the teacher's classes (a, b, c, d) are not the data's", e.Message);
        Assert.Throws<UserInputException>(() => new Trainer().Fit(start, data, Options(1, new DistillationSettings())));
        var weight = Assert.Throws<UserInputException>(() => Options(1, new DistillationSettings(Weight: 1.5)).Validate());
        Assert.Equal("DistillationWeight", weight.Parameter);
    }
}
