using AudioPrune.Graph.Nodes;
using Onnx;

namespace AudioPrune.Interop.Onnx.Import.Converters;

/// <summary>Element-wise activations (and Softmax over the class vector); SiLU arrives fused by <see cref="OnnxPatternFusion"/>.</summary>
internal sealed class ActivationConverter : IOnnxConverter
{
    public IReadOnlyList<string> Ops { get; } =
        ["Relu", "LeakyRelu", "Sigmoid", "Tanh", "Elu", "HardSigmoid", "HardSwish", "Clip", "Softmax", "Gelu", OnnxPatternFusion.Silu];

    public void Convert(OnnxConversion c, NodeProto node)
    {
        var (input, shape) = c.Value(node, 0);
        var activation = Activation(c, node, shape) with { Name = c.Names.For(node.Name), Inputs = [input] };
        c.Emit(node, node.Output[0], activation);
    }

    private static ActivationNode Activation(OnnxConversion c, NodeProto node, Graph.Shape shape) => node.OpType switch
    {
        "Relu" => Of(ActivationKind.Relu),
        "LeakyRelu" => Of(ActivationKind.LeakyRelu) with { Slope = node.Float("alpha", 0.01) },
        "Sigmoid" => Of(ActivationKind.Sigmoid),
        "Tanh" => Of(ActivationKind.Tanh),
        "Elu" when Math.Abs(node.Float("alpha", 1) - 1) < 1e-6 => Of(ActivationKind.Elu),
        "HardSigmoid" => Of(ActivationKind.HardSigmoid) with { Alpha = node.Float("alpha", 0.2), Beta = node.Float("beta", 0.5) },
        "HardSwish" => Of(ActivationKind.HardSwish),
        "Gelu" when node.Text("approximate", "none") == "none" => Of(ActivationKind.Gelu),
        OnnxPatternFusion.Silu => Of(ActivationKind.Silu),
        "Clip" => Clip(c, node),
        "Softmax" when shape.Rank == 1 && node.Int("axis", -1) is -1 or 1 => Of(ActivationKind.Softmax),
        _ => throw c.Fail(node, "is supported only in PyTorch's form (Elu alpha 1, exact Gelu, Softmax over the classes)"),
    };

    private static ActivationNode Of(ActivationKind kind) => new() { Name = "_", Inputs = [], Kind = kind };

    /// <summary>Bounds from inputs 1 and 2 (opset 11 on) or the min/max attributes (before).</summary>
    private static ActivationNode Clip(OnnxConversion c, NodeProto node)
    {
        double? Bound(int index, string attribute)
        {
            if (node.OptionalInput(index) is not null) return c.Constant(node, index, attribute).Scalar ?? throw c.Fail(node, $"needs a scalar {attribute}");
            return node.Attribute(attribute) is { } a ? a.F : null;
        }
        var (min, max) = (Bound(1, "min"), Bound(2, "max"));
        return min == 0 && max is null ? Of(ActivationKind.Relu) : Of(ActivationKind.Clip) with { Min = min, Max = max };
    }
}
