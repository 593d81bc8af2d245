namespace AudioPrune.Pruning;

/// <summary>
/// A passive pruning criterion: reads one conv layer's weights and scores its filters (lower = pruned first);
/// the similarity criteria also return the distance analysis their greedy pass selects from.
/// </summary>
public interface IFilterImportance
{
    /// <summary>The name users type after --method.</summary>
    string Name { get; }

    /// <summary>True when the criterion decides its own kept count (the similarity greedy pass), so no ratio is needed.</summary>
    bool SelectsOwnCount => false;

    LayerImportance Score(FilterBank filters);
}
