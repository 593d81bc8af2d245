namespace AudioPrune.Data;

/// <summary>
/// How a dataset is split when it does not say (or says only part): seeded, stratified by class, and grouped
/// (a group never straddles two splits). Folds: TestFold and ValidationFold default to the last two folds.
/// TrainFraction below 1 keeps a seeded subset of the training split (for the fine-tuning-data study);
/// validation and test are never reduced.
/// </summary>
internal sealed record SplitOptions
{
    public int Seed { get; init; }
    public double ValidationFraction { get; init; } = 0.15;
    public double TestFraction { get; init; } = 0.15;
    public int? TestFold { get; init; }
    public int? ValidationFold { get; init; }
    public double TrainFraction { get; init; } = 1.0;

    /// <summary>Seed of the training subset alone (default: Seed), so repeat runs draw new subsets of the same splits.</summary>
    public int? SubsetSeed { get; init; }
    public bool StratifiedSubset { get; init; } = true;
}

/// <summary>The recordings of each split and a sentence saying how they were chosen.</summary>
internal sealed record SplitPlan(IReadOnlyList<DatasetEntry> Train, IReadOnlyList<DatasetEntry> Validation, IReadOnlyList<DatasetEntry> Test, string Method)
{
    public IReadOnlyList<DatasetEntry> Of(string split) => split switch
    {
        SplitNames.Train => Train,
        SplitNames.Validation => Validation,
        SplitNames.Test => Test,
        _ => throw new ArgumentException($"unknown split '{split}'"),
    };
}
