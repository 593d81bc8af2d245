namespace AudioPrune.Data;

/// <summary>
/// One labelled recording of a dataset. <see cref="RelativePath"/> (with '/' separators) identifies it and
/// is its clip id; Split and Fold come from the dataset's own protocol when it has one; Group keeps
/// related recordings (same location, same source file) on one side of a split.
/// </summary>
internal sealed record DatasetEntry(string RelativePath, string FullPath, string Label, string? Split = null, int? Fold = null, string? Group = null)
{
    public string ClipId => RelativePath;

    /// <summary>The key that must not straddle splits: the group when given, else the recording itself.</summary>
    public string GroupKey => Group ?? RelativePath;
}

/// <summary>A dataset found on disk: its layout name, root folder and recordings.</summary>
internal sealed record DatasetDescription(string Layout, string Root, IReadOnlyList<DatasetEntry> Entries)
{
    public IReadOnlyList<string> ClassNames { get; } = Entries.Select(e => e.Label).Distinct().Order(StringComparer.Ordinal).ToArray();
}
