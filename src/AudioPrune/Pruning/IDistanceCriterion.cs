namespace AudioPrune.Pruning;

/// <summary>A layer's cosine-distance matrix (n x n, row-major) and the notes on its prototypes, before any selection.</summary>
internal sealed record LayerDistances(double[] Distances, int Filters, int[] DegenerateFilters, int[] ZeroFilters)
{
    public static LayerDistances Of(double[] distances, Numerics.PrototypeSet prototypes) =>
        new(distances, prototypes.Count, prototypes.DegenerateFilters, prototypes.ZeroFilters);
}

/// <summary>
/// A similarity criterion that can stop at the distance matrix: a group's members contribute only their matrices
/// (the selection runs once, on their mean), so each member's nearest neighbours would be computed for nothing.
/// </summary>
internal interface IDistanceCriterion : IFilterImportance
{
    /// <summary>The distances <see cref="IFilterImportance.Score"/> selects from; the caller may overwrite the matrix.</summary>
    LayerDistances Distances(FilterBank filters);

    /// <summary>
    /// mean = (accumulate ? mean : 0) + D / divisor for the layer's distances D, entry by entry as
    /// <see cref="Numerics.DenseProducts.AddQuotient"/> computes it; a criterion may do it without forming D whole.
    /// Returns the layer's notes (its distances are not returned).
    /// </summary>
    LayerDistances AddDistances(FilterBank filters, double[] mean, double divisor, bool accumulate)
    {
        var own = Distances(filters);
        Numerics.DenseProducts.AddQuotient(mean, own.Distances, divisor, accumulate);
        return own;
    }
}

internal static class CriterionTraits
{
    /// <summary>True when the criterion decides its own kept count (the similarity greedy pass), so no ratio is needed.</summary>
    public static bool SelectsOwnCount(this IFilterImportance criterion) => criterion is IDistanceCriterion;
}
