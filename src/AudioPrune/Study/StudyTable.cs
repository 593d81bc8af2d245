using System.Globalization;

namespace AudioPrune.Study;

/// <summary>Turns job results into table rows: the baseline, then one row per fine-tuned configuration.</summary>
internal static class StudyTable
{
    public static IReadOnlyList<StudyRow> Rows(IReadOnlyList<JobResult> jobs)
    {
        var rows = new List<StudyRow>();
        if (jobs.FirstOrDefault(j => j.Kind == JobKinds.Baseline) is { } baseline)
        {
            rows.Add(new StudyRow
            {
                Configuration = "baseline (unpruned)",
                ConvWidths = baseline.ConvWidths,
                ParamsTotal = baseline.ParamsTotal,
                ParamsTrainable = baseline.ParamsTrainable,
                Macs = baseline.Macs,
                AccuracyMean = baseline.TestAccuracy,
                LogLossMean = baseline.TestLogLoss,
                Runs = 1,
                LatencyMs = baseline.Latency?.Model.MedianMs,
                Jobs = [baseline.Id],
            });
        }
        var prunes = jobs.Where(j => j.Kind == JobKinds.Prune).ToArray();
        var groups = jobs.Where(j => j.Kind == JobKinds.Finetune)
            .GroupBy(j => (j.LayerSet, j.Criterion, j.Init, j.Fraction));
        foreach (var group in groups)
        {
            var first = group.First();
            // Random-initialised runs share the architecture of the first pruned model of their layer set.
            var prune = prunes.FirstOrDefault(p => p.LayerSet == first.LayerSet && (first.Criterion is null || p.Criterion == first.Criterion));
            var accuracy = MeanStd(group.Select(j => j.TestAccuracy));
            var loss = MeanStd(group.Select(j => j.TestLogLoss));
            rows.Add(new StudyRow
            {
                Configuration = Describe(first),
                LayerSet = first.LayerSet,
                Criterion = first.Criterion,
                Init = first.Init,
                Fraction = first.Fraction,
                ConvWidths = first.ConvWidths,
                ParamsTotal = first.ParamsTotal,
                ParamsTrainable = first.ParamsTrainable,
                Macs = first.Macs,
                AccuracyBeforeFinetune = first.Criterion is null ? null : prune?.AccuracyBeforeFinetune,
                AccuracyMean = accuracy.Mean,
                AccuracyStd = accuracy.Std,
                LogLossMean = loss.Mean,
                LogLossStd = loss.Std,
                Runs = group.Count(),
                LatencyMs = prune?.Latency?.Model.MedianMs,
                MeasuredSpeedup = prune?.Latency?.MeasuredSpeedup,
                MacsRatio = prune?.Latency?.MacsRatio,
                ExecutedMacsRatio = prune?.Latency?.ExecutedMacsRatio,
                ImportanceSeconds = first.Criterion is null ? null : prune?.ImportanceSeconds,
                Jobs = group.Select(j => j.Id).ToArray(),
            });
        }
        return rows;
    }

    private static string Describe(JobResult job) => string.Create(CultureInfo.InvariantCulture,
        $"{job.LayerSet}: {job.Criterion ?? "same widths"}, {(job.Init == "random" ? "random init" : "pruned init")}, {job.Fraction:P0} data");

    private static (double? Mean, double? Std) MeanStd(IEnumerable<double?> values)
    {
        var present = values.OfType<double>().ToArray();
        if (present.Length == 0) return (null, null);
        var mean = present.Average();
        var std = present.Length > 1 ? Math.Sqrt(present.Sum(v => (v - mean) * (v - mean)) / (present.Length - 1)) : (double?)null;
        return (mean, std);
    }
}
