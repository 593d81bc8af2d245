namespace AudioPrune.Pruning.Planning;

/// <summary>
/// What to prune and how far. At most one of <see cref="Ratio"/>, <see cref="Keep"/>, <see cref="MatchPlan"/> and
/// <see cref="PlanIn"/>; with none, the similarity criteria choose their own counts.
/// </summary>
internal sealed record PruningRequest
{
    public string Method { get; init; } = "similarity";
    public CriterionOptions Criterion { get; init; } = new();

    /// <summary>--layers text (names, conv indices, globs); null = all conv layers.</summary>
    public string? Layers { get; init; }

    /// <summary>Fraction p of filters to prune per layer: kept = ceil((1 - p) F).</summary>
    public double? Ratio { get; init; }

    /// <summary>Kept counts: one for every selected layer, or a single count for all.</summary>
    public int[]? Keep { get; init; }

    /// <summary>Take per-layer kept counts from this plan (equal-count comparisons).</summary>
    public PruningPlan? MatchPlan { get; init; }
    public string? MatchPlanPath { get; init; }

    /// <summary>Re-apply this plan's kept sets exactly.</summary>
    public PruningPlan? PlanIn { get; init; }
    public string? PlanInPath { get; init; }

    /// <summary>Round kept counts up to a multiple of this (hardware-friendly widths), at most the layer width.</summary>
    public int? RoundTo { get; init; }

    /// <summary>Store the full cosine-distance matrices of the similarity criteria in the plan.</summary>
    public bool IncludeDistances { get; init; }
}
