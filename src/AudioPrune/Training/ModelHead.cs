using System.Text.Json.Serialization;
using AudioPrune.Graph;
using AudioPrune.Graph.Nodes;
using TorchSharp;
using static TorchSharp.torch;

namespace AudioPrune.Training;

[JsonConverter(typeof(JsonStringEnumConverter<HeadKind>))]
internal enum HeadKind
{
    /// <summary>One class per example: softmax probabilities, cross-entropy loss.</summary>
    Softmax,
    /// <summary>Independent per-class probabilities (multi-label): sigmoid, binary cross-entropy on logits.</summary>
    Sigmoid,
}

/// <summary>How a graph turns logits into probabilities and which loss trains it (graphs without a head train as softmax).</summary>
internal static class ModelHead
{
    public static HeadKind Of(NetworkGraph graph) =>
        graph.ProbabilityHead == ActivationKind.Sigmoid ? HeadKind.Sigmoid : HeadKind.Softmax;

    internal static Tensor Probabilities(HeadKind head, Tensor logits) =>
        head == HeadKind.Sigmoid ? torch.sigmoid(logits) : torch.softmax(logits, 1);

    /// <summary>Mean loss over the batch against (N, classes) target probabilities (one-hot or mixed).</summary>
    internal static Tensor Loss(HeadKind head, Tensor logits, Tensor targets)
    {
        if (head == HeadKind.Sigmoid) return nn.functional.binary_cross_entropy_with_logits(logits, targets);
        using var logProbabilities = nn.functional.log_softmax(logits, 1);
        using var perExample = (targets * logProbabilities).sum(1);
        return perExample.mean().neg();
    }
}
