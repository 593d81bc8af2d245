using AudioPrune.Data;
using AudioPrune.Graph;
using AudioPrune.Graph.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace AudioPrune.Training;

/// <summary>
/// Knowledge distillation from a teacher (usually the unpruned parent): the loss is
/// (1 - w) CE(student, labels) + w T^2 KL(p_teacher || p_student), both at temperature T (docs/studies.md, "Distillation").
/// </summary>
/// <param name="Weight">w in [0, 1]: 0 is plain training, 1 learns from the teacher alone.</param>
/// <param name="Temperature">T &gt; 0: above 1 softens both distributions so that the teacher's near-misses carry information.</param>
/// <param name="Teacher">The teacher's network and weights fingerprint (set by the trainer, checked when a run resumes).</param>
internal sealed record DistillationSettings(double Weight = DistillationSettings.DefaultWeight, double Temperature = DistillationSettings.DefaultTemperature,
    string? Teacher = null)
{
    public const double DefaultWeight = 0.5;
    public const double DefaultTemperature = 2;

    public void Validate()
    {
        if (!(Weight is >= 0 and <= 1)) throw new UserInputException($"{{@DistillationWeight}} must be in [0, 1], got {Weight}");
        if (!(Temperature > 0 && double.IsFinite(Temperature))) throw new UserInputException($"{{@Temperature}} must be a finite number above 0, got {Temperature}");
    }
}

internal static class Distillation
{
    /// <summary>The teacher's probabilities at temperature <paramref name="temperature"/> for every example of <paramref name="set"/> (example x class, flat).</summary>
    public static float[] SoftTargets(ModelArtifact teacher, IExampleSet set, double temperature, int batchSize)
    {
        DataChecks.EnsureFits(teacher.Graph, set, "the teacher's input");
        if (!teacher.Labels.SequenceEqual(set.ClassNames))
            throw new UserInputException($"the teacher's classes ({string.Join(", ", teacher.Labels)}) are not the data's ({string.Join(", ", set.ClassNames)}), in that order");
        using var module = TorchGraphModule.Create(teacher.Graph.WithoutProbabilityHead(), teacher.Weights);
        var rows = Predictor.Probabilities(module, ModelHead.Of(teacher.Graph), set, batchSize, temperature);
        return rows.SelectMany(r => r).ToArray();
    }

    /// <summary>The batch loss: cross-entropy against the labels blended with T^2 times the KL divergence from the teacher.</summary>
    public static Tensor Loss(HeadKind head, Tensor logits, Tensor targets, Tensor teacher, DistillationSettings settings)
    {
        var hard = ModelHead.Loss(head, logits, targets);
        var soft = Divergence(head, logits, teacher, settings.Temperature);
        var t2 = settings.Temperature * settings.Temperature;
        return hard * (1 - settings.Weight) + soft * (settings.Weight * t2);
    }

    /// <summary>Mean over examples of KL(teacher || softmax(logits / T)); per class Bernoulli KL, averaged, for sigmoid heads.</summary>
    public static Tensor Divergence(HeadKind head, Tensor logits, Tensor teacher, double temperature)
    {
        using var scaled = logits / temperature;
        using var safe = teacher.clamp(1e-12, 1.0);
        if (head == HeadKind.Sigmoid)
        {
            using var cross = nn.functional.binary_cross_entropy_with_logits(scaled, teacher, reduction: nn.Reduction.None);
            using var complement = (1 - teacher).clamp(1e-12, 1.0);
            using var entropy = -(teacher * safe.log() + (1 - teacher) * complement.log());
            return (cross - entropy).mean();
        }
        using var logStudent = nn.functional.log_softmax(scaled, 1);
        using var perExample = (teacher * (safe.log() - logStudent)).sum(1);
        return perExample.mean();
    }
}
