using Onnx;

namespace AudioPrune.Interop.Onnx.Import.Converters;

/// <summary>Identity and Dropout (identity in inference): their output is another name of their input.</summary>
internal sealed class PassThroughConverter : IOnnxConverter
{
    public IReadOnlyList<string> Ops { get; } = ["Identity", "Dropout"];

    public void Convert(OnnxConversion c, NodeProto node)
    {
        if (!c.IsGraphValue(node.Input[0]) && !c.IsConstant(node.Input[0])) c.PaddedValue(node, 0);
        c.Alias(node.Output[0], node.Input[0]);
    }
}
