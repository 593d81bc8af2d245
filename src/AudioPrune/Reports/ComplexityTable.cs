using AudioPrune.Graph;

namespace AudioPrune.Reports;

/// <summary>Writes the complexity report as a plain-text table (readable in a terminal and in a log file).</summary>
internal static class ComplexityTable
{
    public static void Write(ComplexityReport report, TextWriter output, ExecutedMacsColumn? executed = null)
    {
        var rows = new List<string[]>
        {
            Cells(["layer", "op", "output", "params", "trainable", "MACs"], executed is null ? null : "executed MACs", "out bytes"),
        };
        rows.AddRange(report.Layers.Select((l, i) => Cells(
            [l.Name, l.Op, l.OutputShape.ToString(), l.ParamsTotal.ToString("N0"), l.ParamsTrainable.ToString("N0"), l.Macs.ToString("N0")],
            executed?.PerLayer[i].ToString("N0"), Units.Bytes(l.OutputBytes))));
        rows.Add(Cells(["total", "", "", report.ParamsTotal.ToString("N0"), report.ParamsTrainable.ToString("N0"), report.Macs.ToString("N0")],
            executed?.Total.ToString("N0"), ""));
        output.WriteLine($"{report.Model}: input {report.Input}");
        TextTable.Write(rows, output, rightAlignedFrom: 3);
        output.WriteLine();
        output.WriteLine($"parameters: {report.ParamsTotal:N0} total, {report.ParamsTrainable:N0} trainable");
        output.WriteLine($"MACs: {report.Macs:N0} ({Units.Count(report.Macs)}) per example");
        if (executed is not null)
        {
            output.WriteLine($"executed by ONNX Runtime ({executed.Layout} convolutions): {executed.Total:N0} ({Units.Count(executed.Total)}) " +
                             $"multiply-adds per example, {(double)executed.Total / report.Macs:0.00}x the MACs" +
                             (executed.Total == report.Macs ? "" : " (filters padded to whole channel blocks, folded kernels with their zeros)"));
        }
        output.WriteLine($"model size: {Units.Bytes(report.BytesFp32)} fp32, {Units.Bytes(report.BytesFp16)} fp16, {Units.Bytes(report.BytesInt8)} int8");
        output.WriteLine($"peak activation memory: {Units.Bytes(report.PeakActivationBytes)} (fp32, batch 1)");
        output.WriteLine(ComplexityReport.MacConvention);
        output.WriteLine(ComplexityReport.ParameterConvention);
    }

    private static string[] Cells(string[] leading, string? executed, string trailing) =>
        executed is null ? [.. leading, trailing] : [.. leading, executed, trailing];
}
