using AudioPrune.Graph;

namespace AudioPrune.Pruning.Planning;

/// <summary>
/// Runs a criterion once, untimed, on the first few filters of a layer, so that the importance times a plan records
/// measure the computation and not the one-time compilation of its code in this process. Without it the first
/// criterion of a study carried that cost alone: DCASE21_Net's similarity selection recorded 26.9 ms when it ran
/// first, against about 1 ms warm, and looked slower than the Nystrom approximation that ran after it.
/// </summary>
public static class CriterionWarmUp
{
    /// <summary>Enough filters for every step (scores, distances, the greedy pass) to run; few enough to cost little.</summary>
    private const int StandInFilters = 16;

    public static void Run(IFilterImportance criterion, FilterBank layer)
    {
        var filters = Math.Min(StandInFilters, layer.Filters);
        var values = layer.Weights.AsSpan(0, filters * layer.FilterLength).ToArray();
        var standIn = new FilterBank(layer.Layer, new TensorData([filters, layer.Channels, layer.KernelH, layer.KernelW], values), layer.LayerIndex);
        var importance = criterion.Score(standIn);
        _ = importance.Kept(criterion.SelectsOwnCount ? null : Math.Max(1, filters / 2));
    }
}
