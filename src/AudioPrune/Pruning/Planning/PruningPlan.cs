namespace AudioPrune.Pruning.Planning;

/// <summary>
/// The decision record (plan.json): which filters of which conv layers are kept and why, how much the network
/// shrinks, and the network it belongs to (a plan is refused by a network with another fingerprint).
/// </summary>
internal sealed record PruningPlan(
    string Format,
    string Network,
    string Fingerprint,
    string? WeightsFingerprint,
    string Criterion,
    PlanOptions Options,
    IReadOnlyList<LayerDecision> Layers,
    ComplexitySummary Before,
    ComplexitySummary After,
    string[]? Notes = null)
{
    /// <summary>Plans whose layers are all plain conv layers (what every plan was before channel groups).</summary>
    public const string Format1 = "audioprune-plan/1";

    /// <summary>Plans with at least one coupled group: its layers may carry a <see cref="GroupRecord"/>.</summary>
    public const string Format2 = "audioprune-plan/2";

    public const string CurrentFormat = Format2;

    public static readonly string[] ReadableFormats = [Format1, Format2];

    /// <summary>The oldest format that holds the decisions, so plans of plain networks stay readable by older releases.</summary>
    public static string FormatFor(IEnumerable<LayerDecision> layers) => layers.Any(l => l.Group is not null) ? Format2 : Format1;

    public ComplexityReduction Reduction => new(
        Percent(Before.ParamsTotal, After.ParamsTotal), Percent(Before.ParamsTrainable, After.ParamsTrainable), Percent(Before.Macs, After.Macs));

    private static double Percent(long before, long after) => Math.Round(ComplexityReduction.PercentFewer(before, after), 2);
}

/// <summary>How the plan was asked for (the command-line choices, for the record).</summary>
internal sealed record PlanOptions(
    string Representation, string? Landmarks, string LandmarkChoice, int? Rank, int Seed,
    double? Ratio, int[]? Keep, int? RoundTo, string? MatchPlan, string? PlanIn);

/// <summary>
/// One pruned channel group: a plain conv layer (named after it, <see cref="Group"/> null) or a coupled group (named
/// after its first conv; kept and pruned are group channels, which are that conv's filters).
/// </summary>
internal sealed record LayerDecision(
    string Name,
    int Index,
    int Filters,
    int[] Kept,
    int[] Pruned,
    double[]? Scores,
    double Seconds,
    int[]? NearestNeighbour = null,
    double[]? NearestDistance = null,
    DistanceHistogram? ClosestPairHistogram = null,
    double[][]? Distances = null,
    NystromRecord? Nystrom = null,
    int[]? DegenerateFilters = null,
    int[]? ZeroFilters = null,
    string[]? Notes = null,
    GroupRecord? Group = null)
{
    public int KeptCount => Kept.Length;
}

/// <summary>
/// A coupled group's members, so a plan says what it cut and is refused by a model whose groups differ: the convs
/// whose filters are scored and cut, and every node whose output carries the group's channels.
/// </summary>
internal sealed record GroupRecord(string[] Convs, string[] Nodes)
{
    public static GroupRecord Of(Dependency.ChannelGroup group) =>
        new(group.Sources.Select(s => s.Conv.Name).ToArray(), group.Nodes.ToArray());
}

internal sealed record NystromRecord(int M, int K, int[] LandmarkFilters, string Choice, double? Error);

/// <summary>Counts of nearest-neighbour distances in equal bins over [0, 2] (cosine distance's range).</summary>
internal sealed record DistanceHistogram(double[] Edges, int[] Counts)
{
    public static DistanceHistogram Of(IEnumerable<double> values, int bins = 20)
    {
        var edges = Enumerable.Range(0, bins + 1).Select(i => Math.Round(2.0 * i / bins, 6)).ToArray();
        var counts = new int[bins];
        foreach (var v in values) counts[Math.Clamp((int)Math.Floor(v / 2.0 * bins), 0, bins - 1)]++;
        return new DistanceHistogram(edges, counts);
    }
}

internal sealed record ComplexitySummary(long ParamsTotal, long ParamsTrainable, long Macs);

internal sealed record ComplexityReduction(double ParamsTotalPercent, double ParamsTrainablePercent, double MacsPercent)
{
    /// <summary>How many percent fewer <paramref name="after"/> is than <paramref name="before"/> (0 when before is 0).</summary>
    public static double PercentFewer(long before, long after) => before == 0 ? 0 : 100.0 * (before - after) / before;
}
