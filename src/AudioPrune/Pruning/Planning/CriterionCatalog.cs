using AudioPrune.Common;
using AudioPrune.Pruning.Criteria;

namespace AudioPrune.Pruning.Planning;

/// <summary>The criteria by the names users type after --method.</summary>
public static class CriterionCatalog
{
    public static readonly string[] Names = ["similarity", "nystrom", "opnorm", "l1", "l2", "fpgm", "gm", "random"];

    public static IFilterImportance Create(string name, CriterionOptions options)
    {
        if (options.Landmarks is < 1) throw new UserInputException($"--landmarks must be at least 1 or 'auto', got {options.Landmarks}");
        if (options.Rank is < 1) throw new UserInputException($"--rank must be at least 1, got {options.Rank}");
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
