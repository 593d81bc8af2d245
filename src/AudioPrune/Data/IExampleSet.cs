using AudioPrune.Graph;

namespace AudioPrune.Data;

/// <summary>
/// Examples ready for a network: fixed-shape feature tensors (already normalised) with class indices.
/// Segments or patches cut from one recording share a clip id, so that clip-level predictions can
/// average them. Implementations: <see cref="InMemoryExampleSet"/>, and the feature cache's memory-mapped set.
/// </summary>
internal interface IExampleSet
{
    Shape ExampleShape { get; }
    IReadOnlyList<string> ClassNames { get; }
    int Count { get; }
    int Label(int index);
    string ClipId(int index);
    void CopyFeatures(int index, Span<float> destination);
}

/// <summary>The three splits of a dataset. Model selection uses Validation; Test is only reported.</summary>
internal sealed record DataSplits(IExampleSet Train, IExampleSet Validation, IExampleSet Test);
