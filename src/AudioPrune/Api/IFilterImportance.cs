namespace AudioPrune;

/// <summary>
/// A passive pruning criterion: reads one conv layer's weights and scores its filters (lower = pruned first).
/// Implement it to prune by a criterion of your own; the planner calls <see cref="Score"/> once per layer, from the
/// unpruned weights, and keeps the highest-scoring filters.
/// </summary>
public interface IFilterImportance
{
    /// <summary>The criterion's name, recorded in the plan.</summary>
    string Name { get; }

    /// <summary>A score per filter of <paramref name="filters"/>, in filter order; every score must be finite.</summary>
    LayerImportance Score(FilterBank filters);
}
