using AudioPrune.Graph;
using AudioPrune.Interop.Onnx;
using AudioPrune.Pruning.Planning;
using AudioPrune.Reports;

namespace AudioPrune.Cli.Commands;

/// <summary>
/// The before/after table `prune` prints, and its JSON form (--json). <see cref="Executed"/> is absent for the plain
/// layout, where ONNX Runtime executes the MACs as they are.
/// </summary>
internal sealed record PruneSummary(
    string Model, string Criterion, IReadOnlyList<PruneSummary.Row> Layers,
    ComplexitySummary Before, ComplexitySummary After, ComplexityReduction Reduction, PruneSummary.ExecutedMacs? Executed, string[]? Notes)
{
    public sealed record Row(string Name, string Op, int? Filters, int? Kept, long ParamsBefore, long ParamsAfter, long MacsBefore, long MacsAfter);

    /// <summary>The multiply-adds ONNX Runtime executes per example before and after, with convolutions in <see cref="ConvLayout"/>.</summary>
    public sealed record ExecutedMacs(string ConvLayout, long Before, long After)
    {
        public double PercentFewer => ComplexityReduction.PercentFewer(Before, After);
    }

    public static PruneSummary Of(NetworkGraph original, PruningResult result, ConvolutionLayout layout)
    {
        var before = ComplexityReport.Of(original).Layers.ToDictionary(l => l.Name);
        var after = ComplexityReport.Of(result.Graph).Layers.ToDictionary(l => l.Name);
        // Every conv of a coupled group shows its group's counts.
        var decisions = result.Plan.Layers.SelectMany(l => (l.Group?.Convs ?? [l.Name]).Select(conv => (conv, l)))
            .GroupBy(p => p.conv).ToDictionary(g => g.Key, g => g.First().l);
        var rows = original.Nodes
            .Where(n => before[n.Name].ParamsTotal > 0 || before[n.Name].Macs > 0)
            .Select(n => new Row(n.Name, n.Op, decisions.GetValueOrDefault(n.Name)?.Filters, decisions.GetValueOrDefault(n.Name)?.KeptCount,
                before[n.Name].ParamsTotal, after[n.Name].ParamsTotal, before[n.Name].Macs, after[n.Name].Macs))
            .ToArray();
        var nystrom = result.Plan.Layers.Where(l => l.Nystrom is not null).Select(l =>
            $"{l.Name}: Nystrom m = {l.Nystrom!.M} ({l.Nystrom.Choice}), k = {l.Nystrom.K}" +
            (l.Nystrom.Error is { } e ? $", ||D - D~||_2 = {e:G3}" : ""));
        var notes = nystrom.Concat(result.Plan.Layers.SelectMany(l => l.Notes?.Select(note => $"{l.Name}: {note}") ?? []))
            .Concat(result.Plan.Notes ?? []).ToArray();
        var executed = layout == ConvolutionLayout.Plain
            ? null
            : new ExecutedMacs(ConvolutionLayouts.Name(layout), OnnxExecutedMacs.Of(original, layout), OnnxExecutedMacs.Of(result.Graph, layout));
        return new PruneSummary(original.Name, result.Plan.Criterion, rows, result.Plan.Before, result.Plan.After,
            result.Plan.Reduction, executed, notes.Length > 0 ? notes : null);
    }

    public static void Write(PruneSummary s, TextWriter output)
    {
        var rows = new List<string[]> { new[] { "layer", "op", "filters", "kept", "params before", "params after", "MACs before", "MACs after" } };
        rows.AddRange(s.Layers.Select(r => new[]
        {
            r.Name, r.Op, r.Filters?.ToString() ?? "", r.Kept?.ToString() ?? "",
            r.ParamsBefore.ToString("N0"), r.ParamsAfter.ToString("N0"), r.MacsBefore.ToString("N0"), r.MacsAfter.ToString("N0"),
        }));
        rows.Add(["total", "", "", "", s.Before.ParamsTotal.ToString("N0"), s.After.ParamsTotal.ToString("N0"), s.Before.Macs.ToString("N0"), s.After.Macs.ToString("N0")]);
        output.WriteLine($"{s.Model}: pruned by {s.Criterion}");
        TextTable.Write(rows, output, rightAlignedFrom: 2);
        output.WriteLine();
        output.WriteLine($"parameters: {s.Before.ParamsTotal:N0} -> {s.After.ParamsTotal:N0} total ({s.Reduction.ParamsTotalPercent:0.##} % fewer), " +
                         $"{s.Before.ParamsTrainable:N0} -> {s.After.ParamsTrainable:N0} trainable ({s.Reduction.ParamsTrainablePercent:0.##} % fewer)");
        output.WriteLine($"MACs: {Units.Count(s.Before.Macs)} -> {Units.Count(s.After.Macs)} per example ({s.Reduction.MacsPercent:0.##} % fewer)");
        if (s.Executed is { } e)
        {
            // Pruned widths that do not fill the blocked kernels' channel blocks save fewer multiply-adds than MACs;
            // saying so here keeps the MACs line from promising time the runtime cannot give.
            var purpose = ConvolutionLayouts.Parse(e.ConvLayout).Purpose();
            output.WriteLine($"executed by ONNX Runtime ({e.ConvLayout} convolutions, {purpose}): {Units.Count(e.Before)} -> {Units.Count(e.After)} " +
                             $"multiply-adds per example ({e.PercentFewer:0.##} % fewer); `audioprune bench` measures the time");
        }
        foreach (var note in s.Notes ?? []) output.WriteLine($"note: {note}");
    }
}
