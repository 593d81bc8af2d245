using AudioPrune.Graph.Nodes;
using Onnx;

namespace AudioPrune.Interop.Onnx.Import.Converters;

/// <summary>BatchNormalization in inference form (one output) over the channels; ONNX's momentum is 1 - PyTorch's.</summary>
internal sealed class BatchNormConverter : IOnnxConverter
{
    private static readonly string[] Suffixes = ["weight", "bias", "running_mean", "running_var"];

    public IReadOnlyList<string> Ops { get; } = ["BatchNormalization"];

    public void Convert(OnnxConversion c, NodeProto node)
    {
        if (node.Output.Count(o => o.Length > 0) != 1 || node.Int("training_mode", 0) != 0)
            throw c.Fail(node, "is in training mode; export the model in eval mode (model.eval())");
        var (input, shape) = c.Value(node, 0);
        var tensors = Suffixes.Select((s, i) => (s, c.Constant(node, i + 1, s.Replace('_', ' ')).ToTensor())).ToArray();
        var norm = new BatchNormNode
        {
            Name = c.Names.For(node.Name, node.Input[1]),
            Inputs = [input],
            Channels = shape.Channels,
            Epsilon = node.Float("epsilon", 1e-5),
            Momentum = 1 - node.Float("momentum", 0.9),
        };
        c.Emit(node, node.Output[0], norm, tensors);
    }
}
