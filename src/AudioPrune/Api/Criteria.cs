using AudioPrune.Pruning.Planning;

namespace AudioPrune;

/// <summary>
/// The built-in pruning criteria. Each is an <see cref="IFilterImportance"/>; a criterion of your own implements
/// that interface and is passed to <see cref="AudioPruneModel.Prune"/> the same way. docs/method.md describes each.
/// </summary>
public static class Criteria
{
    /// <summary>
    /// The paper's criterion: exact cosine distances between filter prototypes, pruned greedily closest pair first;
    /// it chooses its own kept count (<see cref="Target.Own"/>).
    /// </summary>
    public static IFilterImportance Similarity(Representation prototype = Representation.Rank1) =>
        Create("similarity", new CriterionOptions { Representation = prototype });

    /// <summary>
    /// The similarity criterion on a Nystrom approximation of the similarity matrix from <paramref name="landmarks"/>
    /// filters (null: the prototype dimension, at most the filter count), of rank <paramref name="rank"/> (null: the landmark count).
    /// </summary>
    public static IFilterImportance Nystrom(int? landmarks = null, LandmarkChoice choice = LandmarkChoice.First, int? rank = null,
        int seed = 0, Representation prototype = Representation.Rank1) =>
        Create("nystrom", new CriterionOptions { Representation = prototype, Landmarks = landmarks, LandmarkChoice = choice, Rank = rank, Seed = seed });

    /// <summary>
    /// The TASLP 2025 operator-norm criterion: each filter's projections on every input channel's dominant (centred)
    /// direction, summed over channels and squared.
    /// </summary>
    public static IFilterImportance OperatorNorm() => Create("opnorm", new CriterionOptions());

    /// <summary>Sum of absolute weights (Li et al.).</summary>
    public static IFilterImportance L1() => Create("l1", new CriterionOptions());

    /// <summary>Euclidean norm of each filter.</summary>
    public static IFilterImportance L2() => Create("l2", new CriterionOptions());

    /// <summary>FPGM (He et al.): summed distance to the other filters; filters near the geometric median are pruned first.</summary>
    public static IFilterImportance GeometricMedian() => Create("fpgm", new CriterionOptions());

    /// <summary>The authors' GM baseline: filters whose typical magnitude (a geometric mean) is closest to the layer's are pruned first.</summary>
    public static IFilterImportance GeometricMean() => Create("gm", new CriterionOptions());

    /// <summary>Seeded random scores: the baseline every criterion should beat.</summary>
    public static IFilterImportance Random(int seed = 0) => Create("random", new CriterionOptions { Seed = seed });

    /// <summary>A built-in criterion by its command-line name (similarity, nystrom, opnorm, l1, l2, fpgm, gm, random), with default settings.</summary>
    public static IFilterImportance Named(string name) => Create(name, new CriterionOptions());

    /// <summary>The names <see cref="Named"/> takes.</summary>
    public static IReadOnlyList<string> Names => CriterionCatalog.Names;

    private static IFilterImportance Create(string name, CriterionOptions options) => CriterionCatalog.Create(name, options);
}
