using AudioPrune.Graph;
using AudioPrune.Pruning.Planning;

namespace AudioPrune;

/// <summary>A network's size and cost per example, counted as docs/formats.md defines them.</summary>
/// <param name="Parameters">Every parameter, batch-norm statistics included.</param>
/// <param name="Macs">Multiply-accumulates of one example's forward pass.</param>
public sealed record Complexity(long Parameters, long Macs)
{
    /// <summary>Weight bytes in float32 (4 per parameter).</summary>
    public long Bytes => Parameters * sizeof(float);

    internal static Complexity Of(NetworkGraph graph)
    {
        var report = ComplexityReport.Of(graph);
        return new Complexity(report.ParamsTotal, report.Macs);
    }

    internal static Complexity Of(ComplexitySummary summary) => new(summary.ParamsTotal, summary.Macs);

    /// <summary>The percentage of multiply-adds <paramref name="after"/> saves against this.</summary>
    public double MacsSavedPercent(Complexity after) => ComplexityReduction.PercentFewer(Macs, after.Macs);
}
