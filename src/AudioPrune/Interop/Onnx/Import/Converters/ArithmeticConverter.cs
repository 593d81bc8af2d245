using AudioPrune.Graph;
using AudioPrune.Graph.Nodes;
using Onnx;

namespace AudioPrune.Interop.Onnx.Import.Converters;

/// <summary>
/// Element-wise Add of feature maps (residual connections), Mul of a map by another or by a per-channel gate
/// (squeeze-excitation), and Add of a constant vector to a bias-less MatMul (its bias). Other arithmetic with constants
/// is refused.
/// </summary>
internal sealed class ArithmeticConverter : IOnnxConverter
{
    public IReadOnlyList<string> Ops { get; } = ["Add", "Mul", "Sub", "Div"];

    public void Convert(OnnxConversion c, NodeProto node)
    {
        if (node.Input.Count != 2) throw c.Fail(node, "needs two inputs");
        var constant = node.Input.FirstOrDefault(c.IsConstant);
        if (constant is not null)
        {
            if (node.OpType == "Add" && TryBias(c, node, node.Input.First(i => i != constant), c.ConstantOrNull(constant)!)) return;
            throw c.Fail(node, "with a constant operand is supported only as the bias added to a MatMul");
        }
        var inputs = new[] { c.Value(node, 0).Name, c.Value(node, 1).Name };
        Node result = node.OpType switch
        {
            "Add" => new AddNode { Name = c.Names.For(node.Name), Inputs = inputs },
            "Mul" => new MulNode { Name = c.Names.For(node.Name), Inputs = inputs },
            _ => throw c.Fail(node, "of two feature maps is not supported (Add and Mul are)"),
        };
        c.Emit(node, node.Output[0], result);
    }

    /// <summary>MatMul then Add(bias): the bias goes into the linear layer when nothing else reads the MatMul's output.</summary>
    private static bool TryBias(OnnxConversion c, NodeProto node, string input, OnnxConstant bias)
    {
        if (c.ProducerOf(input) is not { } producer || c.NodeNamed(producer) is not LinearNode { Bias: false } linear) return false;
        if (c.Readers.GetValueOrDefault(input) != 1 || bias.Elements != linear.OutFeatures) return false;
        c.Replace(linear, linear with { Bias = true });
        c.StoreWeight($"{linear.Name}.bias", new TensorData([linear.OutFeatures], bias.AsFloats()));
        c.Alias(node.Output[0], input);
        return true;
    }
}
