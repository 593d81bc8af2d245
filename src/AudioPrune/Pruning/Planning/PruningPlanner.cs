using System.Diagnostics;
using AudioPrune.Common;
using AudioPrune.Graph;
using AudioPrune.Graph.Nodes;
using AudioPrune.Pruning.Dependency;
using AudioPrune.Pruning.Surgery;

namespace AudioPrune.Pruning.Planning;

/// <summary>
/// Makes and applies a pruning plan: finds the network's channel groups, validates the whole request first, scores
/// every selected group from the unpruned weights (one shot), fixes the kept counts, rebuilds the network once, and
/// records it all. A plain conv layer is a group of one, pruned exactly as before groups existed.
/// </summary>
internal static class PruningPlanner
{
    /// <summary>Ratios are compared with this slack so that (1 - 0.7) * 10 keeps 3 filters, not 4.</summary>
    private const double RatioSlack = 1e-9;

    public static PruningResult Run(NetworkGraph graph, WeightMap weights, PruningRequest request) => Run(graph, weights, request, criterion: null);

    /// <summary>Plans with <paramref name="criterion"/> (null: the one <see cref="PruningRequest.Method"/> names) and applies the plan.</summary>
    public static PruningResult Run(NetworkGraph graph, WeightMap weights, PruningRequest request, IFilterImportance? criterion)
    {
        var targets = new object?[] { request.Ratio, request.Keep, request.MatchPlan, request.PlanIn }.Count(t => t is not null);
        if (targets > 1) throw new UserInputException("give at most one of {@Ratio}, {@Keep}, {@MatchPlan} and {@PlanIn}");
        if (request.RoundTo is < 1) throw new UserInputException($"{{@RoundTo}} must be at least 1, got {request.RoundTo}");
        if (request.PlanIn is { } plan) return Reapply(graph, weights, plan, request);
        criterion ??= CriterionCatalog.Create(request.Method, request.Criterion);
        return Plan(graph, weights, request with { Method = criterion.Name, Criterion = CriterionCatalog.SettingsOf(criterion) ?? request.Criterion }, criterion);
    }

    private static PruningResult Plan(NetworkGraph graph, WeightMap weights, PruningRequest request, IFilterImportance criterion)
    {
        var analysis = ChannelDependency.Analyse(graph);
        if (request.MatchPlan is { } match)
        {
            PlanFile.EnsureFor(match, graph, request.MatchPlanPath ?? "{@MatchPlan}");
            PlanValidator.Ensure(match.Layers, analysis, request.MatchPlanPath ?? "{@MatchPlan}");
        }
        var groups = request.Layers is null && request.MatchPlan is { } m
            ? LayerSelector.Select(analysis, string.Join(',', m.Layers.Select(l => l.Name)))
            : LayerSelector.Select(analysis, request.Layers);
        var convIndex = graph.ConvLayers.Select((c, i) => (c.Name, i)).ToDictionary(x => x.Name, x => x.i);

        // Everything the user can get wrong is checked before any group is scored.
        var counts = new Dictionary<string, (int? Count, string? Note)>();
        for (var i = 0; i < groups.Count; i++) counts[groups[i].Name] = TargetCount(groups[i], i, groups.Count, request, criterion);
        foreach (var conv in groups.SelectMany(g => g.Sources).Select(s => s.Conv)) EnsureFinite(conv, weights);

        if (groups.Count > 0)
        {
            var first = groups[0].Sources[0].Conv.Name;
            CriterionWarmUp.Run(criterion, first, weights[$"{first}.weight"], convIndex[first]);
        }
        var decisions = new List<LayerDecision>();
        foreach (var group in groups)
        {
            var clock = Stopwatch.StartNew();
            var importance = GroupImportance.Score(criterion, group, weights, c => convIndex[c]);
            var (count, note) = counts[group.Name];
            var notes = new List<string>();
            if (note is not null) notes.Add(note);
            if (request.RoundTo is { } multiple)
            {
                var unrounded = count ?? importance.Kept(null).Length;
                count = Math.Min(group.Channels, (unrounded + multiple - 1) / multiple * multiple);
                if (count != unrounded) notes.Add($"kept count {unrounded} rounded up to {count} (multiple of {multiple}, at most {group.Channels})");
            }
            var kept = importance.Kept(count);
            clock.Stop();
            decisions.Add(Decision(group, analysis.ConvIndexOf(group), importance, kept, clock.Elapsed.TotalSeconds, notes, request.IncludeDistances));
        }
        return Finish(graph, weights, analysis, criterion.Name, Options(request), decisions, notes: null);
    }

    private static PruningResult Reapply(NetworkGraph graph, WeightMap weights, PruningPlan plan, PruningRequest request)
    {
        var path = request.PlanInPath ?? "{@PlanIn}";
        PlanFile.EnsureFor(plan, graph, path);
        if (request.Layers is not null) throw new UserInputException("{@Layers} cannot be combined with {@PlanIn} (the plan names its layers)");
        var notes = new List<string>();
        var weightsFingerprint = NetworkFingerprint.OfWeights(weights);
        if (plan.WeightsFingerprint is not null && plan.WeightsFingerprint != weightsFingerprint)
            notes.Add($"plan was made from other weights (fingerprint {plan.WeightsFingerprint}, these are {weightsFingerprint}); its kept sets are applied as recorded");
        return Finish(graph, weights, ChannelDependency.Analyse(graph), plan.Criterion, Options(request), plan.Layers, notes.ToArray());
    }

    private static PruningResult Finish(NetworkGraph graph, WeightMap weights, ChannelGroups analysis, string criterion, PlanOptions options,
        IReadOnlyList<LayerDecision> decisions, string[]? notes)
    {
        PlanValidator.Ensure(decisions, analysis, options.PlanIn ?? "the plan");
        var (newGraph, newWeights) = NetworkSurgery.Apply(graph, weights, decisions.ToDictionary(d => d.Name, d => d.Kept), analysis);
        var plan = new PruningPlan(PruningPlan.FormatFor(decisions), graph.Name, NetworkFingerprint.Of(graph), NetworkFingerprint.OfWeights(weights),
            criterion, options, decisions, Summary(graph), Summary(newGraph), notes is { Length: > 0 } ? notes : null);
        return new PruningResult(plan, newGraph, newWeights);
    }

    private static (int? Count, string? Note) TargetCount(ChannelGroup group, int position, int groupCount, PruningRequest request, IFilterImportance criterion)
    {
        var filters = group.Channels;
        if (request.Ratio is { } p)
        {
            if (!(p >= 0 && p < 1)) throw new UserInputException($"{{@Ratio}} {p} must be in [0, 1) (the fraction of filters to prune)");
            var kept = (int)Math.Ceiling((1 - p) * filters - RatioSlack);
            return kept >= 1 ? (kept, null) : (1, $"ratio {p} would prune all {filters} filters; one is kept");
        }
        if (request.Keep is { } keep)
        {
            if (keep.Length != 1 && keep.Length != groupCount)
                throw new UserInputException($"{{@Keep}} has {keep.Length} counts for {groupCount} selected layers; give one count per layer or a single count");
            var count = keep.Length == 1 ? keep[0] : keep[position];
            if (count < 1 || count > filters)
                throw new UserInputException($"layer '{group.Name}': {{@Keep}} {count} must be between 1 and its {filters} filters");
            return (count, null);
        }
        if (request.MatchPlan is { } match)
        {
            var decision = match.Layers.FirstOrDefault(l => l.Name == group.Name)
                ?? throw new UserInputException($"layer '{group.Name}' is not in the plan given to {{@MatchPlan}} ({string.Join(", ", match.Layers.Select(l => l.Name))})");
            return (decision.Kept.Length, null);
        }
        if (!criterion.SelectsOwnCount())
            throw new UserInputException($"method '{criterion.Name}' ranks filters but has no count of its own: give {{@Ratio}}, {{@Keep}} or {{@MatchPlan}}");
        return (null, null);
    }

    private static void EnsureFinite(Conv2dNode layer, WeightMap weights)
    {
        var weight = weights[$"{layer.Name}.weight"];
        var bad = weight.FirstNonFinite();
        if (bad >= 0)
            throw new UserInputException($"layer '{layer.Name}': weight holds a non-finite value ({weight.Data[bad]}) at element {bad}; fix the model before pruning");
    }

    private static LayerDecision Decision(ChannelGroup group, int index, LayerImportance importance, int[] kept, double seconds,
        List<string> notes, bool includeDistances)
    {
        var keptSet = kept.ToHashSet();
        var n = group.Channels;
        var pruned = Enumerable.Range(0, n).Where(f => !keptSet.Contains(f)).ToArray();
        var s = importance.Similarity;
        if (s is { DegenerateFilters.Length: > 0 })
            notes.Add($"filters {string.Join(", ", s.DegenerateFilters)}: V[0,0] is 0, prototype sign taken from the first non-zero entry of V[:,0]");
        if (s is { ZeroFilters.Length: > 0 })
            notes.Add($"filters {string.Join(", ", s.ZeroFilters)} are all zero: their prototype is the zero vector (distance 1 to every filter)");
        return new LayerDecision(group.Name, index, n, kept, pruned, importance.Scores, Math.Round(seconds, 6),
            s?.NearestNeighbour, s?.NearestDistance,
            s is null ? null : DistanceHistogram.Of(s.NearestDistance),
            s is not null && includeDistances ? Enumerable.Range(0, n).Select(i => s.Distances.AsSpan(i * n, n).ToArray()).ToArray() : null,
            s?.Nystrom is { } ny ? new NystromRecord(ny.Landmarks, ny.Rank, ny.LandmarkFilters, ny.Choice, ny.SpectralError) : null,
            s is { DegenerateFilters.Length: > 0 } ? s.DegenerateFilters : null,
            s is { ZeroFilters.Length: > 0 } ? s.ZeroFilters : null,
            notes.Count > 0 ? notes.ToArray() : null,
            group.IsPlainLayer ? null : GroupRecord.Of(group));
    }

    private static PlanOptions Options(PruningRequest r) => new(
        r.Criterion.Representation.ToString().ToLowerInvariant(),
        r.Criterion.Landmarks?.ToString() ?? (r.Method == "nystrom" ? "auto" : null),
        r.Criterion.LandmarkChoice.ToString().ToLowerInvariant(), r.Criterion.Rank, r.Criterion.Seed,
        r.Ratio, r.Keep, r.RoundTo, r.MatchPlanPath, r.PlanInPath);

    private static ComplexitySummary Summary(NetworkGraph graph)
    {
        var report = ComplexityReport.Of(graph);
        return new ComplexitySummary(report.ParamsTotal, report.ParamsTrainable, report.Macs);
    }
}
