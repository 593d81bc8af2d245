using AudioPrune.Graph;

namespace AudioPrune.Pruning.Planning;

/// <summary>
/// Runs a criterion once, untimed, on the first few filters of a layer, so that the importance times a plan records
/// measure the computation and not the one-time compilation of its code in this process: without it the first
/// criterion of a study carried that cost alone and looked slower than those after it (docs/performance.md,
/// "Allocation and warm-up").
/// </summary>
internal static class CriterionWarmUp
{
    /// <summary>Enough filters for every step (scores, distances, the greedy pass) to run; few enough to cost little.</summary>
    private const int StandInFilters = 16;

    /// <param name="weight">The layer's (filters, channels, kh, kw) weight; only its first filters are read.</param>
    public static void Run(IFilterImportance criterion, string layer, TensorData weight, int layerIndex)
    {
        var filters = Math.Min(StandInFilters, weight.Shape[0]);
        var filterLength = weight.Shape[1] * weight.Shape[2] * weight.Shape[3];
        var values = weight.Data.AsSpan(0, filters * filterLength).ToArray();
        var standIn = new FilterBank(layer, new TensorData([filters, .. weight.Shape[1..]], values), layerIndex);
        var importance = criterion.Score(standIn);
        _ = importance.Kept(criterion.SelectsOwnCount() ? null : Math.Max(1, filters / 2));
    }
}
