using AudioPrune.Common;
using AudioPrune.Pruning.Criteria;

namespace AudioPrune.Pruning.Planning;

/// <summary>The criteria by the names users type after --method.</summary>
internal static class CriterionCatalog
{
    public static readonly string[] Names = ["similarity", "nystrom", "opnorm", "l1", "l2", "fpgm", "gm", "random"];

    /// <summary>The settings each criterion this catalog made was made with, so that plans record them.</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IFilterImportance, CriterionOptions> Settings = new();

    /// <summary>The settings <paramref name="criterion"/> was created with here, or null for a criterion made elsewhere.</summary>
    public static CriterionOptions? SettingsOf(IFilterImportance criterion) => Settings.TryGetValue(criterion, out var options) ? options : null;

    public static IFilterImportance Create(string name, CriterionOptions options)
    {
        var criterion = Make(name, options);
        Settings.AddOrUpdate(criterion, options);
        return criterion;
    }

    private static IFilterImportance Make(string name, CriterionOptions options)
    {
        if (options.Landmarks is < 1) throw new UserInputException($"{{@Landmarks}} must be at least 1 or 'auto', got {options.Landmarks}");
        if (options.Rank is < 1) throw new UserInputException($"{{@Rank}} must be at least 1, got {options.Rank}");
        return name.ToLowerInvariant() switch
        {
            "similarity" => new SimilarityImportance(options.Representation),
            "nystrom" => new NystromImportance(options.Representation, options.Landmarks, options.LandmarkChoice, options.Rank,
                options.Seed, options.NystromError),
            "opnorm" => new OpNormImportance(),
            "l1" => new L1Importance(),
            "l2" => new L2Importance(),
            "fpgm" => new FpgmImportance(),
            "gm" => new GeometricMeanImportance(),
            "random" => new RandomImportance(options.Seed),
            _ => throw new UserInputException($"unknown pruning method '{name}' (expected {string.Join(", ", Names)})"),
        };
    }
}
