namespace AudioPrune.Graph.Nodes;

/// <summary>Concatenation along one axis (0 = channels).</summary>
internal sealed record ConcatNode : Node
{
    public int Axis { get; init; }


    public override Shape InferShape(IReadOnlyList<Shape> inputs)
    {
        if (inputs.Count < 2) throw GraphException.At(this, "needs at least two inputs");
        var rank = inputs[0].Rank;
        if (Axis < 0 || Axis >= rank) throw GraphException.At(this, $"axis {Axis} is outside the inputs' rank {rank}");
        for (var a = 0; a < rank; a++)
        {
            if (a == Axis) continue;
            if (inputs.Any(s => s.Rank != rank || s[a] != inputs[0][a]))
                throw GraphException.At(this, $"inputs differ outside axis {Axis}: {string.Join(", ", inputs)}");
        }
        var dims = inputs[0].ToArray();
        dims[Axis] = inputs.Sum(s => s[Axis]);
        return new Shape(dims);
    }
}
