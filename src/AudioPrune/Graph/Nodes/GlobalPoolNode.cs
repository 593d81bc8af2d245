using System.Text.Json.Serialization;

namespace AudioPrune.Graph.Nodes;

[JsonConverter(typeof(JsonStringEnumConverter<GlobalPoolKind>))]
internal enum GlobalPoolKind { Avg, Max, AvgPlusMax }

/// <summary>
/// Reduces whole axes (never axis 0, the channels): [1, 2] is global pooling of a CxHxW map to C;
/// CNN14 takes the mean over frequency ([2]) and then max + mean over time ([1]).
/// </summary>
internal sealed record GlobalPoolNode : Node
{
    public required GlobalPoolKind Kind { get; init; }
    public required int[] Axes { get; init; }

    /// <summary>Whether the reduced axes stay as size 1 (C x 1 x 1, as ONNX's GlobalAveragePool writes).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public bool KeepDims { get; init; }

    public override bool PassesChannelsThrough => true;

    public override Shape InferShape(IReadOnlyList<Shape> inputs)
    {
        var input = SingleInput(inputs);
        if (Axes.Length == 0 || Axes.Distinct().Count() != Axes.Length)
            throw GraphException.At(this, "needs one or more distinct axes");
        if (Axes.Any(a => a < 1 || a >= input.Rank))
            throw GraphException.At(this, $"axes [{string.Join(',', Axes)}] must be between 1 and {input.Rank - 1} for the input {input}");
        var kept = KeepDims
            ? Enumerable.Range(0, input.Rank).Select(a => Axes.Contains(a) ? 1 : input[a]).ToArray()
            : Enumerable.Range(0, input.Rank).Where(a => !Axes.Contains(a)).Select(a => input[a]).ToArray();
        return new Shape(kept);
    }
}
