using Onnx;

namespace AudioPrune.Interop.Onnx.Import;

/// <summary>Turns ONNX nodes of some op types into graph nodes (or constants, or aliases) of an <see cref="OnnxConversion"/>.</summary>
internal interface IOnnxConverter
{
    IReadOnlyList<string> Ops { get; }

    void Convert(OnnxConversion c, NodeProto node);
}
