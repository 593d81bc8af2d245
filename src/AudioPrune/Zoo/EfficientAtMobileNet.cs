using AudioPrune.Graph;
using AudioPrune.Graph.Nodes;

namespace AudioPrune.Zoo;

/// <summary>
/// EfficientAT's audio MobileNetV3 (the "mn" models of Schmid, Koutini and Widmer, ICASSP 2023; models/mn/model.py
/// of fschmid56/EfficientAT) with its default configuration: MobileNetV3-Large's block table, channels scaled by
/// the width multiplier and rounded to multiples of 8, strides (2, 2, 2, 2), no dilation, channel squeeze-excitation
/// (mean over frequency and time, linear layers with bottleneck make_divisible(C / 4, 8), ReLU, sigmoid), batch norm
/// with epsilon 1e-3 and momentum 0.01, and the "mlp" head. Parameter names are the module's state_dict names
/// (features.1.block.0.0.weight, features.4.block.2.conc_se_layers.0.fc1.weight, classifier.5.bias), so the
/// published checkpoints import into it. Differences: the graph ends in a sigmoid (the module returns logits and is
/// trained with a sigmoid cross-entropy, which is what a sigmoid head trains on here); the module's concurrent
/// squeeze-excitation takes the max over its one channel layer, the identity, and is not a node; the frequency and
/// time squeeze-excitation options and the attention-pooling and fully convolutional heads are not built.
/// </summary>
internal static class EfficientAtMobileNet
{
    private const double Epsilon = 1e-3;
    private const double Momentum = 0.01;

    /// <summary>One row of MobileNetV3-Large's block table, at width 1.</summary>
    private sealed record BlockConfig(int In, int Kernel, int Expanded, int Out, bool SqueezeExcite, bool HardSwish, int Stride);

    private static readonly BlockConfig[] Blocks =
    [
        new(16, 3, 16, 16, false, false, 1),
        new(16, 3, 64, 24, false, false, 2),
        new(24, 3, 72, 24, false, false, 1),
        new(24, 5, 72, 40, true, false, 2),
        new(40, 5, 120, 40, true, false, 1),
        new(40, 5, 120, 40, true, false, 1),
        new(40, 3, 240, 80, false, true, 2),
        new(80, 3, 200, 80, false, true, 1),
        new(80, 3, 184, 80, false, true, 1),
        new(80, 3, 184, 80, false, true, 1),
        new(80, 3, 480, 112, true, true, 1),
        new(112, 3, 672, 112, true, true, 1),
        new(112, 5, 672, 160, true, true, 2),
        new(160, 5, 960, 160, true, true, 1),
        new(160, 5, 960, 160, true, true, 1),
    ];

    public static NetworkGraph Build(string name, Shape input, int classes, double width)
    {
        var b = new SequentialBuilder(name, input);
        ConvNormActivation(b, "features.0", Adjust(Blocks[0].In, width), 3, ActivationKind.HardSwish, stride: 2);
        for (var i = 0; i < Blocks.Length; i++) InvertedResidual(b, $"features.{i + 1}", Blocks[i], width);
        ConvNormActivation(b, $"features.{Blocks.Length + 1}", 6 * Adjust(Blocks[^1].Out, width), 1, ActivationKind.HardSwish);
        b.GlobalPool("classifier.0", GlobalPoolKind.Avg, 1, 2)
         .Linear("classifier.2", Adjust(1280, width)).Activation("classifier.3", ActivationKind.HardSwish)
         .Dropout("classifier.4", 0.2).Linear("classifier.5", classes).Activation("sigmoid", ActivationKind.Sigmoid);
        return b.Build();
    }

    /// <summary>make_divisible(channels * width, 8): the nearest multiple of 8, at least 8 and not 10 % below.</summary>
    private static int Adjust(int channels, double width) => MakeDivisible(channels * width);

    private static int MakeDivisible(double value, int divisor = 8)
    {
        var rounded = Math.Max(divisor, (int)(value + divisor / 2.0) / divisor * divisor);
        return rounded < 0.9 * value ? rounded + divisor : rounded;
    }

    /// <summary>Expand (when wider), depthwise, squeeze-excitation (when the row has one), project; identity shortcut at stride 1 and equal widths.</summary>
    private static void InvertedResidual(SequentialBuilder b, string name, BlockConfig row, double width)
    {
        var (inputChannels, expanded, output) = (Adjust(row.In, width), Adjust(row.Expanded, width), Adjust(row.Out, width));
        var activation = row.HardSwish ? ActivationKind.HardSwish : ActivationKind.Relu;
        var blockInput = b.Last;
        var layer = 0;
        if (expanded != inputChannels) ConvNormActivation(b, $"{name}.block.{layer++}", expanded, 1, activation);
        ConvNormActivation(b, $"{name}.block.{layer++}", expanded, row.Kernel, activation, row.Stride, groups: expanded);
        if (row.SqueezeExcite) SqueezeExcitation(b, $"{name}.block.{layer++}", expanded);
        ConvNormActivation(b, $"{name}.block.{layer}", output, 1, activation: null);
        if (row.Stride == 1 && inputChannels == output) b.Add(new AddNode { Name = $"{name}.add", Inputs = [b.Last, blockInput] });
    }

    /// <summary>torchvision's ConvNormActivation: a bias-free conv (padding (k-1)/2), batch norm, an optional activation.</summary>
    private static void ConvNormActivation(SequentialBuilder b, string name, int channels, int kernel, ActivationKind? activation,
        int stride = 1, int groups = 1)
    {
        b.Conv($"{name}.0", channels, Size2.Square(kernel), Size2.Square((kernel - 1) / 2), bias: false, stride, groups)
         .BatchNorm($"{name}.1", Epsilon, momentum: Momentum);
        if (activation is { } kind) b.Activation($"{name}.2", kind);
    }

    /// <summary>The channel layer of a ConcurrentSEBlock: mean over H x W, fc1, ReLU, fc2, sigmoid, times the map.</summary>
    private static void SqueezeExcitation(SequentialBuilder b, string name, int channels)
    {
        var map = b.Last;
        var layer = $"{name}.conc_se_layers.0";
        b.GlobalPool($"{layer}.mean", GlobalPoolKind.Avg, 1, 2)
         .Linear($"{layer}.fc1", MakeDivisible(channels / 4)).Relu($"{layer}.activation")
         .Linear($"{layer}.fc2", channels).Activation($"{layer}.scale_activation", ActivationKind.Sigmoid);
        b.Add(new MulNode { Name = name, Inputs = [b.Last, map] });
    }
}
