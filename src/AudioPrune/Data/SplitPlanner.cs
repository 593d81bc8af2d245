using AudioPrune.Common;

namespace AudioPrune.Data;

/// <summary>
/// Decides train/validation/test: the dataset's own split when it has one, else its folds, else a seeded
/// stratified split; a missing validation (or test) split is carved from the training data. All carving is
/// grouped by <see cref="DatasetEntry.GroupKey"/> so no group appears on both sides.
/// </summary>
internal static class SplitPlanner
{
    public static SplitPlan Plan(DatasetDescription dataset, SplitOptions options)
    {
        Check(options.ValidationFraction, "validation fraction", allowZero: true);
        Check(options.TestFraction, "test fraction", allowZero: true);
        if (!(options.TrainFraction > 0 && options.TrainFraction <= 1))
            throw new UserInputException($"training fraction {options.TrainFraction} must be in (0, 1]");
        var entries = dataset.Entries;
        List<DatasetEntry> train, validation, test;
        var method = new List<string>();
        if (entries.Any(e => e.Split is not null))
        {
            train = entries.Where(e => e.Split == SplitNames.Train).ToList();
            validation = entries.Where(e => e.Split == SplitNames.Validation).ToList();
            test = entries.Where(e => e.Split == SplitNames.Test).ToList();
            method.Add("the dataset's own split");
        }
        else if (entries.All(e => e.Fold is not null) && entries.Select(e => e.Fold).Distinct().Count() >= 3)
        {
            var folds = entries.Select(e => e.Fold!.Value).Distinct().Order().ToArray();
            var testFold = options.TestFold ?? folds[^1];
            var validationFold = options.ValidationFold ?? folds.Last(f => f != testFold);
            if (!folds.Contains(testFold) || !folds.Contains(validationFold) || testFold == validationFold)
                throw new UserInputException($"test fold {testFold} and validation fold {validationFold} must be two different folds of {string.Join(",", folds)}");
            test = entries.Where(e => e.Fold == testFold).ToList();
            validation = entries.Where(e => e.Fold == validationFold).ToList();
            train = entries.Where(e => e.Fold != testFold && e.Fold != validationFold).ToList();
            method.Add($"folds (test fold {testFold}, validation fold {validationFold}, training the other {folds.Length - 2})");
        }
        else if (options.TestFold is not null || options.ValidationFold is not null)
        {
            throw new UserInputException($"{dataset.Root}: this dataset has no folds (at least 3, on every file), so {{@TestFold}} and {{@ValidationFold}} do not apply");
        }
        else
        {
            (train, test) = Holdout(entries, options.TestFraction, options.Seed);
            validation = [];
            method.Add($"seeded stratified split (seed {options.Seed}, test {options.TestFraction:0.##})");
        }
        if (validation.Count == 0 && options.ValidationFraction > 0)
        {
            var trainCount = train.Count;
            (train, validation) = Holdout(train, options.ValidationFraction / Math.Max(1e-9, 1 - (method[0].StartsWith("seeded") ? options.TestFraction : 0)), options.Seed + 1);
            method.Add($"validation carved from training ({validation.Count} of {trainCount}, seed {options.Seed + 1})");
        }
        if (entries.Any(e => e.Group is not null)) method.Add("grouped");
        if (options.TrainFraction < 1)
        {
            var full = train.Count;
            train = Subset(train, options.TrainFraction, options.SubsetSeed ?? options.Seed, options.StratifiedSubset);
            method.Add($"training subset {options.TrainFraction:0.###} ({train.Count} of {full}, {(options.StratifiedSubset ? "stratified" : "random")}, seed {options.SubsetSeed ?? options.Seed})");
        }
        if (train.Count == 0) throw new UserInputException($"{dataset.Root}: the training split is empty ({string.Join("; ", method)})");
        return new SplitPlan(train, validation, test, string.Join("; ", method));
    }

    /// <summary>
    /// Splits off about <paramref name="fraction"/> of the recordings of every class, whole groups at a time
    /// (a group counts for its most common class). A class keeps at least one group on the kept side.
    /// </summary>
    public static (List<DatasetEntry> Kept, List<DatasetEntry> HeldOut) Holdout(IReadOnlyList<DatasetEntry> entries, double fraction, int seed)
    {
        var random = new Random(seed);
        var heldGroups = new HashSet<string>(StringComparer.Ordinal);
        if (fraction > 0)
        {
            var groups = entries.GroupBy(e => e.GroupKey, StringComparer.Ordinal)
                .Select(g => (Key: g.Key, Count: g.Count(), Label: g.GroupBy(e => e.Label).OrderByDescending(l => l.Count()).ThenBy(l => l.Key, StringComparer.Ordinal).First().Key))
                .ToList();
            foreach (var byLabel in groups.GroupBy(g => g.Label).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var candidates = byLabel.OrderBy(g => g.Key, StringComparer.Ordinal).ToArray();
                random.Shuffle(candidates);
                var target = fraction * candidates.Sum(g => g.Count);
                var held = 0;
                for (var i = 0; i < candidates.Length - 1 && held < target; i++)
                {
                    // Take the group if that brings the count nearer the target (always take the first one).
                    if (held > 0 && Math.Abs(held + candidates[i].Count - target) > Math.Abs(held - target)) continue;
                    heldGroups.Add(candidates[i].Key);
                    held += candidates[i].Count;
                }
            }
        }
        var kept = entries.Where(e => !heldGroups.Contains(e.GroupKey)).ToList();
        var heldOut = entries.Where(e => heldGroups.Contains(e.GroupKey)).ToList();
        return (kept, heldOut);
    }

    /// <summary>A seeded subset of about <paramref name="fraction"/> of the recordings (per class when stratified), in the original order.</summary>
    public static List<DatasetEntry> Subset(IReadOnlyList<DatasetEntry> entries, double fraction, int seed, bool stratified)
    {
        var random = new Random(seed);
        var chosen = new HashSet<DatasetEntry>(ReferenceEqualityComparer.Instance);
        var pools = stratified
            ? entries.GroupBy(e => e.Label).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => g.ToArray())
            : [entries.ToArray()];
        foreach (var pool in pools)
        {
            random.Shuffle(pool);
            var take = Math.Max(1, (int)Math.Round(fraction * pool.Length));
            foreach (var e in pool.Take(take)) chosen.Add(e);
        }
        return entries.Where(chosen.Contains).ToList();
    }

    private static void Check(double fraction, string name, bool allowZero)
    {
        if (!(fraction >= 0 && fraction < 1) || (!allowZero && fraction == 0))
            throw new UserInputException($"{name} {fraction} must be in [0, 1)");
    }
}
