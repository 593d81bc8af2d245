using AudioPrune.Benchmarking;

namespace AudioPrune.Reports;

/// <summary>
/// A profiled model's time by stage, beside its parent's when there is one: each stage's share of the kernel time,
/// its speed-up and its MACs ratio, so a layer whose saved MACs did not become saved time stands out.
/// </summary>
internal static class StageTimeTable
{
    public static void Write(LayerProfile model, LayerProfile? parent, TextWriter output)
    {
        var header = parent is null
            ? new[] { "stage", "MACs", "executed MACs", "ms", "share" }
            : ["stage", "MACs", "executed MACs", "ms", "share", "parent ms", "speed-up", "MACs ratio"];
        var rows = new List<string[]> { header };
        foreach (var stage in model.Stages)
        {
            var row = new List<string>
            {
                stage.Stage, Units.Count(stage.Macs), Units.Count(stage.ExecutedMacs), $"{stage.MedianMs:0.000}",
                $"{stage.MedianMs / model.KernelMs:0%}",
            };
            if (parent?.Stages.FirstOrDefault(s => s.Stage == stage.Stage) is { } p)
                row.AddRange([$"{p.MedianMs:0.000}", Ratio(p.MedianMs, stage.MedianMs), Ratio(p.Macs, stage.Macs)]);
            rows.Add([.. row]);
        }
        var total = new List<string> { "all kernels", "", "", $"{model.KernelMs:0.000}", "100%" };
        if (parent is not null) total.AddRange([$"{parent.KernelMs:0.000}", Ratio(parent.KernelMs, model.KernelMs), ""]);
        rows.Add([.. total]);
        TextTable.Write(rows, output, rightAlignedFrom: 1);
    }

    private static string Ratio(double parent, double model) => model > 0 ? $"{parent / model:0.00}x" : "";
}
