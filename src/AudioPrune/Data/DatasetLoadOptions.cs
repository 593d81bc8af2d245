using AudioPrune.Audio;

namespace AudioPrune.Data;

/// <summary>
/// Options of <see cref="DatasetLoader.Load"/>. Strict stops at the first bad file (a <see cref="UserInputException"/>);
/// otherwise bad files are skipped and listed. Normalization, when given (e.g. from a model artifact), is used
/// instead of statistics of the training split. Threads defaults to the core count.
/// </summary>
internal sealed record DatasetLoadOptions
{
    public string? CacheDirectory { get; init; }
    public SplitOptions Splits { get; init; } = new();
    public bool Strict { get; init; }
    public int? Threads { get; init; }
    public FeatureNormalization? Normalization { get; init; }

    /// <summary>Progress lines (plain text), e.g. "features: 120/400 files".</summary>
    public Action<string>? Log { get; init; }

    /// <summary>Warnings, one line each (e.g. a damaged feature-cache entry that is being recomputed); called from worker threads.</summary>
    public Action<string>? Warning { get; init; }
}

/// <summary>A recording left out of the data, and why (the decoder's message).</summary>
internal sealed record SkippedFile(string Path, string Reason);

/// <summary>Clips and examples of one split, with clips per class.</summary>
internal sealed record SplitSummary(string Split, int Clips, int Examples, IReadOnlyDictionary<string, int> ClipsPerClass);

/// <summary>Duration statistics of the decoded recordings, in seconds.</summary>
internal sealed record DurationStatistics(int Count, double Min, double Mean, double Max, double Total)
{
    public static DurationStatistics Of(IReadOnlyCollection<double> seconds) => seconds.Count == 0
        ? new DurationStatistics(0, 0, 0, 0, 0)
        : new DurationStatistics(seconds.Count, seconds.Min(), seconds.Average(), seconds.Max(), seconds.Sum());
}
