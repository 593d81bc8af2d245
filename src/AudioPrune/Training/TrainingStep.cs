using AudioPrune.Graph.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AudioPrune.Training;

/// <summary>
/// One optimisation step on a batch: forward on the logits module, loss for the head, backward, optimiser
/// update. Shared by the trainer and the throughput benchmark, so the benchmark measures the real step.
/// </summary>
internal sealed class TrainingStep : IDisposable
{
    private readonly TorchGraphModule module;
    private readonly HeadKind head;

    public TrainingStep(TorchGraphModule logitsModule, HeadKind head, OptimizerSettings settings)
    {
        module = logitsModule;
        this.head = head;
        Optimizer = settings.Create(logitsModule);
    }

    internal OptimizerHelper Optimizer { get; }

    public double LearningRate
    {
        get => Optimizer.ParamGroups.First().LearningRate;
        set
        {
            foreach (var group in Optimizer.ParamGroups) group.LearningRate = value;
        }
    }

    /// <summary>
    /// Trains on (N, C, H, W) features against (N, classes) target probabilities and, when distilling, the teacher's
    /// (N, classes) probabilities at the distillation temperature; the module must be in training mode.
    /// </summary>
    public StepResult Run(Tensor features, Tensor targets, Tensor? teacher = null, DistillationSettings? distillation = null)
    {
        using var scope = torch.NewDisposeScope();
        Optimizer.zero_grad();
        var logits = module.call(features);
        var loss = teacher is not null && distillation is { Weight: > 0 }
            ? Distillation.Loss(head, logits, targets, teacher, distillation)
            : ModelHead.Loss(head, logits, targets);
        var value = loss.item<float>();
        if (!float.IsFinite(value)) return new StepResult(value, []);
        loss.backward();
        Optimizer.step();
        var predicted = logits.detach().argmax(1).data<long>().ToArray();
        return new StepResult(value, predicted);
    }

    public void Dispose() => Optimizer.Dispose();
}

/// <summary>The batch loss before the update and the arg-max class of each example (empty when the loss was not finite).</summary>
internal sealed record StepResult(double Loss, long[] Predicted);
