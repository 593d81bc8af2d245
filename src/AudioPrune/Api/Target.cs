using AudioPrune.Pruning.Planning;

namespace AudioPrune;

/// <summary>How far to prune each selected layer: the criterion's own count, a ratio, kept counts, or another plan's.</summary>
public abstract class Target
{
    private Target() { }

    /// <summary>The criterion decides (the similarity criteria's greedy pass); score criteria need another target.</summary>
    public static Target Own { get; } = new OwnCount();

    /// <summary>Prune the fraction <paramref name="fraction"/> of each layer's filters: kept = ceil((1 - p) F).</summary>
    public static Target Ratio(double fraction) => new RatioTarget(fraction);

    /// <summary>Keep these many filters: one count for every selected layer, or a single count for all.</summary>
    public static Target Keep(params int[] counts) => new KeepTarget([.. counts]);

    /// <summary>Keep as many filters per layer as <paramref name="plan"/> did (equal-count comparisons of criteria).</summary>
    public static Target SameCountsAs(PrunePlan plan) => new MatchTarget(plan);

    /// <summary>Keep exactly the filters <paramref name="plan"/> kept (re-applying a decision, the criterion is not run).</summary>
    public static Target SameFiltersAs(PrunePlan plan) => new ReapplyTarget(plan);

    internal abstract PruningRequest Apply(PruningRequest request);

    private sealed class OwnCount : Target
    {
        internal override PruningRequest Apply(PruningRequest request) => request;
        public override string ToString() => "own";
    }

    private sealed class RatioTarget(double fraction) : Target
    {
        internal override PruningRequest Apply(PruningRequest request) => request with { Ratio = fraction };
        public override string ToString() => $"ratio {fraction}";
    }

    private sealed class KeepTarget(int[] counts) : Target
    {
        internal override PruningRequest Apply(PruningRequest request) => request with { Keep = counts };
        public override string ToString() => $"keep {string.Join(',', counts)}";
    }

    private sealed class MatchTarget(PrunePlan plan) : Target
    {
        internal override PruningRequest Apply(PruningRequest request) => request with { MatchPlan = plan.Plan, MatchPlanPath = plan.Source };
        public override string ToString() => $"counts of {plan}";
    }

    private sealed class ReapplyTarget(PrunePlan plan) : Target
    {
        internal override PruningRequest Apply(PruningRequest request) => request with { PlanIn = plan.Plan, PlanInPath = plan.Source };
        public override string ToString() => $"filters of {plan}";
    }
}
