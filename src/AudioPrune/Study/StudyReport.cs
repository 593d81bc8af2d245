using System.Globalization;
using System.Text;
using System.Text.Json;
using AudioPrune.Common;
using AudioPrune.Graph;
using AudioPrune.Pruning.Planning;
using AudioPrune.Reports;

namespace AudioPrune.Study;

/// <summary>
/// Writes a study's results.json (every number of the report, machine-readable), its plots (PNG) and report.md,
/// from the finished jobs in the study folder, so `audioprune report DIR` can rebuild it at any time.
/// </summary>
internal static class StudyReport
{
    public const string SelectionConvention =
        "Model selection: the epoch with the best validation-split accuracy; test-split figures are reported only, never used to choose.";

    public sealed record Results(
        string Study, string Generated, string Machine, IReadOnlyDictionary<string, string> Conventions,
        IReadOnlyList<StudyRow> Rows, IReadOnlyList<Comparison> Comparisons, IReadOnlyList<JobResult> Jobs, IReadOnlyList<string> Plots);

    public static Results Write(StudyFolder folder, string studyName)
    {
        var jobs = folder.AllFinished();
        if (jobs.Count == 0) throw new UserInputException($"{folder.Root}: no finished study jobs to report on");
        var rows = StudyTable.Rows(jobs);
        Directory.CreateDirectory(folder.Plots);
        var plots = WritePlots(folder, rows, jobs).Select(folder.Relative).ToArray();
        var results = new Results(studyName, DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
            $"{Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}",
            new Dictionary<string, string>
            {
                ["macs"] = ComplexityReport.MacConvention,
                ["parameters"] = ComplexityReport.ParameterConvention,
                ["selection"] = SelectionConvention,
                ["accuracy"] = "Clip-level test accuracy (mean of segment probabilities per clip); mean over seeds with its 95 % Student t interval and sample standard deviation (the plots' error bars).",
                [ComparisonsKey] = "Comparisons: test accuracy of arm a minus arm b, in percentage points in the report, over runs paired by fold and seed: the mean difference, its 95 % paired t interval and n, the number of pairs. "
                    + "The unpruned control is the parent fine-tuned with the pruned arms' schedule. Better or worse when the interval excludes zero; otherwise this many runs cannot tell the two apart, which is not evidence that they are equal.",
                ["latency"] = "Median of timed runs after warm-up; speed-up = parent latency / model latency, measured in the same run; executed MACs ratio = parent / model multiply-adds that the latency engine's kernels really do (filters padded to whole channel blocks, folded kernels).",
                ["importance"] = "Importance: time to score the pruned layers and choose their kept filters, after an untimed warm-up of the criterion on a few filters (its code compiled first), so criteria compare fairly whichever ran first.",
            },
            rows, StudyComparisons.Of(rows), jobs, plots);
        AtomicFile.WriteAllText(folder.Results, JsonSerializer.Serialize(results, ReportJson.Options));
        AtomicFile.WriteAllText(folder.Report, Markdown(results));
        return results;
    }

    /// <summary>The convention that explains the comparisons, printed above them in the report rather than with the others.</summary>
    private const string ComparisonsKey = "comparisons";

    /// <summary>The baseline's name in the plots' legends.</summary>
    private const string Unpruned = "unpruned";

    /// <summary>The equal-schedule control's name in the plots' legends and the comparisons.</summary>
    private const string ControlArm = "unpruned control";

    private static IEnumerable<string> WritePlots(StudyFolder folder, IReadOnlyList<StudyRow> rows, IReadOnlyList<JobResult> jobs)
    {
        string PlotPath(string name) => Path.Combine(folder.Plots, name);
        var baseline = rows.FirstOrDefault(r => r.Kind == JobKinds.Baseline);
        var controls = rows.Where(r => r.Kind == JobKinds.Control && r.AccuracyMean is not null).ToArray();
        var full = rows.Where(r => r.Criterion is not null && r.Init == "pruned" && r.Fraction == 1.0 && r.AccuracyMean is not null).ToArray();

        // Error bars are each row's 95 % interval of the mean (none for a single run).
        PlotSeries Versus(IEnumerable<StudyRow> group, string name, Func<StudyRow, double> x)
        {
            var points = group.OrderBy(x).ToArray();
            return new PlotSeries(name, points.Select(x).ToArray(), points.Select(r => 100 * r.AccuracyMean!.Value).ToArray(),
                points.Select(r => r.TestAccuracy?.Ci95 is { } ci ? 100 * (ci.High - ci.Low) / 2 : 0).ToArray());
        }
        static string Arm(string criterion, bool distilled) => distilled ? criterion + SeriesColours.DistilledSuffix : criterion;
        IEnumerable<PlotSeries> PerCriterion(Func<StudyRow, double> x)
        {
            foreach (var group in full.GroupBy(r => Arm(r.Criterion!, r.Distilled))) yield return Versus(group, group.Key, x) with { Criterion = group.Key };
            if (controls.FirstOrDefault(r => r.Fraction == 1.0) is { } control) yield return Versus([control], ControlArm, x) with { Criterion = ControlArm };
            if (baseline?.AccuracyMean is not null) yield return Versus([baseline], Unpruned, x) with { IsBaseline = true };
        }

        if (full.Length > 0)
        {
            Charts.Series(PlotPath("accuracy_vs_params.png"), "Test accuracy vs parameters", "parameters (total)", "accuracy (%, 95 % interval)",
                PerCriterion(r => r.ParamsTotal), connect: false);
            yield return PlotPath("accuracy_vs_params.png");
            Charts.Series(PlotPath("accuracy_vs_macs.png"), "Test accuracy vs MACs", "MACs (millions)", "accuracy (%, 95 % interval)",
                PerCriterion(r => r.Macs / 1e6), connect: false);
            yield return PlotPath("accuracy_vs_macs.png");
        }

        foreach (var set in rows.Where(r => r.LayerSet is not null).GroupBy(r => r.LayerSet!))
        {
            if (set.Select(r => r.Fraction).Distinct().Count() < 2) continue;
            var name = $"accuracy_vs_fraction_{set.Key}.png";
            var series = set.Where(r => r.AccuracyMean is not null).GroupBy(r => (Criterion: Arm(r.Criterion ?? "same widths", r.Distilled), r.Init))
                .Select(g => Versus(g, $"{g.Key.Criterion}, {g.Key.Init} init", r => 100 * r.Fraction) with { Criterion = g.Key.Criterion })
                .Concat(controls.Length > 0 ? [Versus(controls, ControlArm, r => 100 * r.Fraction) with { Criterion = ControlArm }] : []);
            Charts.Series(PlotPath(name), $"{set.Key}: accuracy vs fine-tuning data", "training data used (%)", "accuracy (%, 95 % interval)", series);
            yield return PlotPath(name);
        }

        var timed = jobs.Where(j => j.Kind != JobKinds.Finetune && j.Latency is not null).ToArray();
        if (timed.Length > 0)
        {
            var series = timed.GroupBy(j => j.Criterion).Select(g => new PlotSeries(g.Key ?? Unpruned,
                g.Select(j => j.Macs / 1e6).ToArray(), g.Select(j => j.Latency!.Model.MedianMs).ToArray(), IsBaseline: g.Key is null));
            Charts.Series(PlotPath("latency_vs_macs.png"), "Measured latency vs MACs", "MACs (millions)", "latency (ms, median)", series, connect: false);
            yield return PlotPath("latency_vs_macs.png");
        }

        foreach (var prune in jobs.Where(j => j.Kind == JobKinds.Prune && j.Plan is not null && j.Criterion is "similarity" or "nystrom"))
        {
            var plan = PlanFile.Read(Path.Combine(folder.Root, prune.Plan!));
            foreach (var layer in plan.Layers)
            {
                var stem = $"{prune.Criterion}_{prune.LayerSet}_{layer.Name}";
                if (layer.Distances is { } distances)
                {
                    Charts.Heatmap(PlotPath($"distances_{stem}.png"), $"{layer.Name}: cosine distance between filters ({prune.Criterion})",
                        ToMatrix(distances), "cosine distance");
                    yield return PlotPath($"distances_{stem}.png");
                }
                if (layer.NearestDistance is { } nearest)
                {
                    Charts.Histogram(PlotPath($"closest_{stem}.png"), $"{layer.Name}: distance to the closest filter ({prune.Criterion})",
                        "cosine distance", nearest, prune.Criterion!);
                    yield return PlotPath($"closest_{stem}.png");
                }
            }
        }
    }

    private static double[,] ToMatrix(double[][] rows)
    {
        var matrix = new double[rows.Length, rows.Length];
        for (var i = 0; i < rows.Length; i++)
        for (var j = 0; j < rows[i].Length && j < rows.Length; j++) matrix[i, j] = rows[i][j];
        return matrix;
    }

    private static string Markdown(Results results)
    {
        var c = CultureInfo.InvariantCulture;
        string Pct(double? v) => v is { } x ? (100 * x).ToString("0.00", c) : "";
        string PlusMinus(double? mean, double? std, Func<double?, string> format) =>
            mean is null ? "" : std is null ? format(mean) : $"{format(mean)} ± {format(std)}";
        string Num(double? v, string format) => v?.ToString(format, c) ?? "";

        var md = new StringBuilder();
        md.AppendLine(c, $"# Pruning study: {results.Study}");
        md.AppendLine();
        md.AppendLine(c, $"Generated {results.Generated} on {results.Machine}. Every number below is also in `results.json`.");
        md.AppendLine();
        AppendComparisons(md, results);
        md.AppendLine("## Configurations");
        md.AppendLine();
        foreach (var (_, text) in results.Conventions.Where(kv => kv.Key != ComparisonsKey)) md.AppendLine(c, $"- {text}");
        md.AppendLine();
        md.AppendLine("| configuration | conv widths | params total | params trainable | MACs | fp32 | fp16 | int8 | acc. before fine-tuning (%) | test accuracy (%, ± 95 % interval) | accuracy sd (%) | log-loss | runs | latency (ms) | measured speed-up | MACs ratio | executed MACs ratio | importance (ms) |");
        md.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results.Rows)
        {
            var half = r.TestAccuracy?.Ci95 is { } ci ? (ci.High - ci.Low) / 2 : (double?)null;
            md.AppendLine(c,
                $"| {r.Configuration} | {string.Join("/", r.ConvWidths.Values)} | {r.ParamsTotal:N0} | {r.ParamsTrainable:N0} | {Units.Count(r.Macs)} | {Units.Bytes(r.BytesFp32)} | {Units.Bytes(r.BytesFp16)} | {Units.Bytes(r.BytesInt8)} | {Pct(r.AccuracyBeforeFinetune)} | {PlusMinus(r.AccuracyMean, half, Pct)} | {Pct(r.AccuracyStd)} | {PlusMinus(r.LogLossMean, r.LogLossStd, v => Num(v, "0.000"))} | {r.Runs} | {Num(r.LatencyMs, "0.00")} | {Num(r.MeasuredSpeedup, "0.00")} | {Num(r.MacsRatio, "0.00")} | {Num(r.ExecutedMacsRatio, "0.00")} | {Num(r.ImportanceSeconds * 1000, "0.0")} |");
        }
        md.AppendLine();
        AppendCost(md, results.Rows);
        foreach (var plot in results.Plots)
        {
            md.AppendLine(c, $"![{Path.GetFileNameWithoutExtension(plot)}]({plot.Replace('\\', '/')})");
            md.AppendLine();
        }
        return md.ToString();
    }

    /// <summary>
    /// The training-cost section: mean time, CPU time, energy and CO2 per run of each row, and what a data fraction saves
    /// against the same arm on all the data; said to be an estimate, with how it was made.
    /// </summary>
    private static void AppendCost(StringBuilder md, IReadOnlyList<StudyRow> rows)
    {
        var costed = rows.Where(r => r.EnergyWh is not null).ToArray();
        if (costed.Length == 0) return;
        var c = CultureInfo.InvariantCulture;
        md.AppendLine("## Training cost");
        md.AppendLine();
        md.AppendLine("Per run, the mean over the row's runs. Energy and CO2 are estimates: " + (costed.All(r => r.EnergySource == Training.TrainingCost.Rapl)
            ? "energy from the CPU's RAPL package counters"
            : "energy from CPU time x an assumed power per busy core where the machine has no readable RAPL counters") +
            ", CO2 at the carbon intensity given (docs/studies.md, \"Training cost\"). They compare runs on this machine; they are not an audit.");
        md.AppendLine();
        md.AppendLine("| configuration | wall (s) | CPU (s) | energy (Wh) | CO2 (g) | energy saved against 100 % data |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var r in costed)
        {
            var full = r.Fraction < 1 ? costed.FirstOrDefault(o => o.Kind == r.Kind && o.LayerSet == r.LayerSet && o.Criterion == r.Criterion && o.Init == r.Init && o.Fraction == 1.0) : null;
            var saved = full?.EnergyWh is { } all && all > 0 ? (1 - r.EnergyWh!.Value / all).ToString("P0", c) : "";
            md.AppendLine(c, $"| {r.Configuration} | {r.WallSeconds:0.0} | {r.CpuSeconds:0.0} | {r.EnergyWh:0.####} | {r.Co2G:0.####} | {saved} |");
        }
        md.AppendLine();
    }

    /// <summary>The comparisons section: one line per comparison with its difference in points, interval, n and verdict.</summary>
    private static void AppendComparisons(StringBuilder md, Results results)
    {
        if (results.Comparisons.Count == 0) return;
        var rows = results.Rows.ToDictionary(r => r.Configuration);
        var c = CultureInfo.InvariantCulture;
        string Points(double v) => (100 * v).ToString("+0.0;−0.0;0.0", c);
        string Arm(StudyRow r) => (r.Kind == JobKinds.Control ? ControlArm : r.Criterion ?? "same widths, random init") + (r.Distilled ? " distilled" : "");
        md.AppendLine("## Comparisons");
        md.AppendLine();
        md.AppendLine(results.Conventions[ComparisonsKey]);
        md.AppendLine();
        foreach (var k in results.Comparisons)
        {
            var (a, b) = (rows[k.A], rows[k.B]);
            var interval = k.Ci95 is { } ci ? $" [{Points(ci.Low)}, {Points(ci.High)}]" : "";
            md.AppendLine(c, $"- {Arm(a)} vs {Arm(b)} ({a.LayerSet}, {a.Fraction:P0} data): {Points(k.MeanDifference)} points{interval}, n = {k.N}: {k.Verdict}");
        }
        md.AppendLine();
    }
}
