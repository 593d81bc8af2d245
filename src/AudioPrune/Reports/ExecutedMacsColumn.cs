namespace AudioPrune.Reports;

/// <summary>
/// The multiply-adds an engine really executes per layer (for ONNX Runtime: filters padded to whole channel blocks,
/// folded kernels with their zeros), shown beside the MACs so that a width the kernels cannot use is visible
/// before anything is timed. <paramref name="PerLayer"/> follows the complexity report's layer order.
/// </summary>
internal sealed record ExecutedMacsColumn(string Layout, IReadOnlyList<long> PerLayer)
{
    public long Total => PerLayer.Sum();
}
