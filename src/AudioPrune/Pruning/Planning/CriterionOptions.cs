using AudioPrune.Pruning.Numerics;

namespace AudioPrune.Pruning.Planning;

/// <summary>Settings of the criteria (each criterion reads the ones it uses).</summary>
internal sealed record CriterionOptions
{
    public Representation Representation { get; init; } = Representation.Rank1;

    /// <summary>Nystrom landmark count; null = auto (the prototype dimension, capped at the filter count).</summary>
    public int? Landmarks { get; init; }

    public LandmarkChoice LandmarkChoice { get; init; } = LandmarkChoice.First;

    /// <summary>Nystrom rank k; null = the landmark count.</summary>
    public int? Rank { get; init; }

    public int Seed { get; init; }

    /// <summary>Compute the Nystrom spectral-norm error ||D - D~||_2 (costs the exact matrix too).</summary>
    public bool NystromError { get; init; }
}
