using AudioPrune.Graph;

namespace AudioPrune.Data;

/// <summary>An <see cref="IExampleSet"/> held in arrays: for tests, small data and subsets of other sets.</summary>
internal sealed class InMemoryExampleSet : IExampleSet
{
    private readonly float[][] features;
    private readonly int[] labels;
    private readonly string[] clipIds;

    public InMemoryExampleSet(Shape exampleShape, IReadOnlyList<string> classNames, float[][] features, int[] labels, string[]? clipIds = null)
    {
        if (features.Length != labels.Length) throw new ArgumentException("one label per example is required");
        if (features.Any(f => f.Length != exampleShape.Elements)) throw new ArgumentException($"every example must have {exampleShape.Elements} values ({exampleShape})");
        if (labels.Any(l => l < 0 || l >= classNames.Count)) throw new ArgumentException("a label is outside the class list");
        ExampleShape = exampleShape;
        ClassNames = classNames;
        this.features = features;
        this.labels = labels;
        this.clipIds = clipIds ?? Enumerable.Range(0, labels.Length).Select(i => $"clip{i}").ToArray();
        if (this.clipIds.Length != labels.Length) throw new ArgumentException("one clip id per example is required");
    }

    public Shape ExampleShape { get; }
    public IReadOnlyList<string> ClassNames { get; }
    public int Count => labels.Length;
    public int Label(int index) => labels[index];
    public string ClipId(int index) => clipIds[index];
    public void CopyFeatures(int index, Span<float> destination) => features[index].CopyTo(destination);

    /// <summary>The examples at the given indices, in that order (subsets, shuffles, folds).</summary>
    public static InMemoryExampleSet Subset(IExampleSet source, IReadOnlyList<int> indices)
    {
        var size = (int)source.ExampleShape.Elements;
        var f = new float[indices.Count][];
        for (var i = 0; i < indices.Count; i++)
        {
            f[i] = new float[size];
            source.CopyFeatures(indices[i], f[i]);
        }
        return new InMemoryExampleSet(source.ExampleShape, source.ClassNames, f,
            indices.Select(source.Label).ToArray(), indices.Select(source.ClipId).ToArray());
    }
}
