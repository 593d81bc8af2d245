using System.Text.Json.Serialization;
using AudioPrune.Common;
using AudioPrune.Graph.Torch;
using TorchSharp;
using TorchSharp.Modules;

namespace AudioPrune.Training;

[JsonConverter(typeof(JsonStringEnumConverter<OptimizerKind>))]
internal enum OptimizerKind { Adam, Sgd }

/// <summary>The optimiser and its settings; Adam with lr 1e-3 is the spec's default for fine-tuning.</summary>
internal sealed record OptimizerSettings
{
    public OptimizerKind Kind { get; init; } = OptimizerKind.Adam;
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>L2 penalty added to the gradient (PyTorch's weight_decay), for Adam and SGD alike.</summary>
    public double WeightDecay { get; init; }

    /// <summary>SGD momentum (ignored by Adam).</summary>
    public double Momentum { get; init; } = 0.9;

    public void Validate()
    {
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate))
            throw new UserInputException($"learning rate must be a positive number, got {LearningRate}");
        if (!(WeightDecay >= 0) || !double.IsFinite(WeightDecay))
            throw new UserInputException($"weight decay must be zero or positive, got {WeightDecay}");
        if (!(Momentum >= 0 && Momentum < 1))
            throw new UserInputException($"momentum must be in [0, 1), got {Momentum}");
    }

    /// <summary>Creates the TorchSharp optimiser over all parameters of the module.</summary>
    internal OptimizerHelper Create(TorchGraphModule module) => Kind switch
    {
        OptimizerKind.Adam => torch.optim.Adam(module.parameters(), LearningRate, weight_decay: WeightDecay),
        _ => torch.optim.SGD(module.parameters(), LearningRate, momentum: Momentum, weight_decay: WeightDecay),
    };
}
