using AudioPrune.Graph;

namespace AudioPrune.Reports;

/// <summary>Writes the complexity report as a plain-text table (readable in a terminal and in a log file).</summary>
public static class ComplexityTable
{
    public static void Write(ComplexityReport report, TextWriter output)
    {
        var rows = new List<string[]> { new[] { "layer", "op", "output", "params", "trainable", "MACs", "out bytes" } };
        rows.AddRange(report.Layers.Select(l => new[]
        {
            l.Name, l.Op, l.OutputShape.ToString(), l.ParamsTotal.ToString("N0"), l.ParamsTrainable.ToString("N0"),
            l.Macs.ToString("N0"), Units.Bytes(l.OutputBytes),
        }));
        rows.Add(["total", "", "", report.ParamsTotal.ToString("N0"), report.ParamsTrainable.ToString("N0"), report.Macs.ToString("N0"), ""]);
        output.WriteLine($"{report.Model}: input {report.Input}");
        TextTable.Write(rows, output, rightAlignedFrom: 3);
        output.WriteLine();
        output.WriteLine($"parameters: {report.ParamsTotal:N0} total, {report.ParamsTrainable:N0} trainable");
        output.WriteLine($"MACs: {report.Macs:N0} ({Units.Count(report.Macs)}) per example");
        output.WriteLine($"model size: {Units.Bytes(report.BytesFp32)} fp32, {Units.Bytes(report.BytesFp16)} fp16, {Units.Bytes(report.BytesInt8)} int8");
        output.WriteLine($"peak activation memory: {Units.Bytes(report.PeakActivationBytes)} (fp32, batch 1)");
        output.WriteLine(ComplexityReport.MacConvention);
        output.WriteLine(ComplexityReport.ParameterConvention);
    }
}
