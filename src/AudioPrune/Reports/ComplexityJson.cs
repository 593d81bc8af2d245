using AudioPrune.Graph;

namespace AudioPrune.Reports;

/// <summary>
/// The JSON form of a <see cref="ComplexityReport"/> (the shape `inspect --json` promises); the executed
/// multiply-adds and their convolution layout are present only when a layout was asked for; the channel groups
/// follow the layers.
/// </summary>
internal sealed record ComplexityJson(
    string Model, int[] Input, long ParamsTotal, long ParamsTrainable, long Macs,
    long BytesFp32, long BytesFp16, long BytesInt8, long PeakActivationBytes,
    IReadOnlyList<ComplexityJson.Layer> Layers, string MacConvention, string ParameterConvention,
    string? ConvLayout = null, long? ExecutedMacs = null, IReadOnlyList<ChannelGroupReport>? Groups = null)
{
    public sealed record Layer(
        string Name, string Op, int[] OutputShape, long Params, long ParamsTrainable, long Macs, long OutputBytes, long? ExecutedMacs);

    public static ComplexityJson From(ComplexityReport r, ExecutedMacsColumn? executed = null, IReadOnlyList<ChannelGroupReport>? groups = null) => new(
        r.Model, r.Input.ToArray(), r.ParamsTotal, r.ParamsTrainable, r.Macs, r.BytesFp32, r.BytesFp16, r.BytesInt8,
        r.PeakActivationBytes,
        r.Layers.Select((l, i) => new Layer(l.Name, l.Op, l.OutputShape.ToArray(), l.ParamsTotal, l.ParamsTrainable, l.Macs, l.OutputBytes,
            executed?.PerLayer[i])).ToArray(),
        ComplexityReport.MacConvention, ComplexityReport.ParameterConvention, executed?.Layout, executed?.Total, groups);
}
