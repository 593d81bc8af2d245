using AudioPrune.Audio;

namespace AudioPrune.Data;

/// <summary>
/// A dataset ready for training: normalised example sets per split (memory-mapped from the feature cache),
/// the normalisation to store with the model, the files that were skipped and why, and a summary.
/// Dispose to unmap the cache files.
/// </summary>
internal sealed class LoadedDataset(
    DatasetDescription dataset, FrontEndSettings settings, SplitPlan plan, DataSplits splits, FeatureNormalization normalization,
    IReadOnlyList<SkippedFile> skipped, IReadOnlyList<SplitSummary> summary, DurationStatistics durations,
    int computed, int fromCache, string cacheDirectory) : IDisposable
{
    public DatasetDescription Dataset => dataset;
    public string Layout => dataset.Layout;
    public IReadOnlyList<string> ClassNames => dataset.ClassNames;
    public FrontEndSettings Settings => settings;
    public SplitPlan Plan => plan;
    public DataSplits Splits => splits;
    public FeatureNormalization Normalization => normalization;
    public IReadOnlyList<SkippedFile> Skipped => skipped;
    public IReadOnlyList<SplitSummary> Summary => summary;
    public DurationStatistics Durations => durations;

    /// <summary>Files whose features were computed in this run, and files found in the cache.</summary>
    public int Computed => computed;
    public int FromCache => fromCache;
    public string CacheDirectory => cacheDirectory;

    public void Dispose()
    {
        foreach (var set in new[] { splits.Train, splits.Validation, splits.Test })
            (set as IDisposable)?.Dispose();
    }
}
