using AudioPrune.Common;
using AudioPrune.Graph;
using AudioPrune.Pruning.Dependency;
using AudioPrune.Pruning.Numerics;
using AudioPrune.Pruning.Surgery;

namespace AudioPrune.Pruning;

/// <summary>
/// Scores a channel group with a criterion that scores one filter bank: each source conv's filters for the group's
/// channels form a bank (rows in group order), the criterion scores every bank alone, and the verdicts are combined
/// (docs/method.md, sections 2 and 3). Score criteria: channel k scores sum_m s_m[k] / mean(s_m), each member normalised by its
/// mean score so that wide and narrow layers weigh alike. Similarity criteria: the group's distance matrix is the
/// mean of the members' cosine-distance matrices, and the greedy pass runs on it. A group of one member is that
/// member's verdict unchanged, bit for bit: a plain conv layer is pruned exactly as it was before groups existed.
/// </summary>
internal static class GroupImportance
{
    public static LayerImportance Score(IFilterImportance criterion, ChannelGroup group, WeightMap weights, Func<string, int> convIndex)
    {
        var banks = group.Sources.Select(s => Bank(s, weights, convIndex(s.Conv.Name)));
        // Several members of a similarity criterion: each adds its distances to the group's mean, which is analysed once.
        if (group.Sources.Count > 1 && criterion is IDistanceCriterion similarity)
        {
            var mean = GC.AllocateUninitializedArray<double>(group.Channels * group.Channels); // the first member writes every entry
            var count = group.Sources.Count;
            return Analysed(group.Name, mean, banks.Select((b, m) => similarity.AddDistances(b, mean, count, accumulate: m > 0)).ToArray());
        }
        return Combine(group.Name, banks.Select(b => Checked(criterion, b)).ToArray());
    }

    /// <summary>The criterion's verdict on one bank, refused when it does not score each filter once (a criterion of the caller's).</summary>
    private static LayerImportance Checked(IFilterImportance criterion, FilterBank bank)
    {
        var importance = criterion.Score(bank)
            ?? throw new UserInputException($"criterion '{criterion.Name}' returned no verdict for layer '{bank.Layer}'");
        if (importance.Filters != bank.Filters)
            throw new UserInputException($"criterion '{criterion.Name}' returned {importance.Filters} scores for layer '{bank.Layer}', which has {bank.Filters} filters");
        var bad = importance.Similarity is null ? Array.FindIndex(importance.Scores, s => !double.IsFinite(s)) : -1;
        if (bad >= 0)
            throw new UserInputException($"criterion '{criterion.Name}' gave filter {bad} of layer '{bank.Layer}' the non-finite score {importance.Scores[bad]}");
        return importance;
    }

    /// <summary>The member conv's filters for the group's channels, in group order (its own weights when that is all of them).</summary>
    public static FilterBank Bank(GroupSource source, WeightMap weights, int layerIndex)
    {
        var weight = weights[$"{source.Conv.Name}.weight"];
        return new FilterBank(source.Conv.Name, source.IsWholeLayer ? weight : TensorSlicing.Select(weight, 0, source.Filters), layerIndex);
    }

    public static LayerImportance Combine(string name, IReadOnlyList<LayerImportance> members)
    {
        if (members.Count == 1) return members[0].WithLayer(name);
        if (members.Any(m => m.Similarity is null) && members.Any(m => m.Similarity is not null))
            throw new InvalidOperationException($"group '{name}': members scored by different kinds of criteria");
        return members[0].Similarity is null ? CombineScores(name, members)
            : CombineDistances(name, members.Select(m => new LayerDistances(m.Similarity!.Distances, m.Filters, m.Similarity.DegenerateFilters, m.Similarity.ZeroFilters)).ToArray());
    }

    /// <summary>sum_m s_m[k] / mean(s_m); a member whose mean score is zero (or not finite) says nothing and is left out.</summary>
    private static LayerImportance CombineScores(string name, IReadOnlyList<LayerImportance> members)
    {
        var scores = new double[members[0].Filters];
        foreach (var member in members)
        {
            var mean = member.Scores.Average();
            if (!(mean > 0) || !double.IsFinite(mean)) continue;
            for (var k = 0; k < scores.Length; k++) scores[k] += member.Scores[k] / mean;
        }
        return new LayerImportance(name, scores);
    }

    /// <summary>D[i,j] = mean_m D_m[i,j], as 0 + D_1/M + D_2/M + ... in member order.</summary>
    private static LayerImportance CombineDistances(string name, IReadOnlyList<LayerDistances> members)
    {
        var n = members[0].Filters;
        var distances = new double[n * n];
        for (var m = 0; m < members.Count; m++)
            DenseProducts.AddQuotient(distances, members[m].Distances, members.Count, accumulate: m > 0);
        return Analysed(name, distances, members);
    }

    /// <summary>The group's analysis of its mean distances: the nearest neighbours and scores follow as for one layer.</summary>
    private static LayerImportance Analysed(string name, double[] distances, IReadOnlyList<LayerDistances> members)
    {
        var n = members[0].Filters;
        var (neighbour, nearest) = GreedySimilarity.NearestNeighbours(distances, n, Enumerable.Range(0, n).ToArray());
        var degenerate = members.SelectMany(m => m.DegenerateFilters).Distinct().Order().ToArray();
        var zero = members.SelectMany(m => m.ZeroFilters).Distinct().Order().ToArray();
        // Each member has its own landmarks; the group record keeps none of them.
        var analysis = new SimilarityAnalysis(distances, neighbour, nearest, degenerate, zero, Nystrom: null);
        return new LayerImportance(name, nearest, analysis);
    }
}
