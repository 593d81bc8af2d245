using System.Globalization;

namespace AudioPrune.Study;

/// <summary>Turns job results into table rows: the baseline, the equal-schedule controls, then one row per fine-tuned configuration.</summary>
internal static class StudyTable
{
    public static IReadOnlyList<StudyRow> Rows(IReadOnlyList<JobResult> jobs)
    {
        var rows = new List<StudyRow>();
        var baselines = jobs.Where(j => j.Kind == JobKinds.Baseline).ToArray();
        var baseline = baselines.FirstOrDefault();
        if (baseline is not null)
        {
            rows.Add(new StudyRow
            {
                Configuration = "baseline (unpruned)",
                Kind = JobKinds.Baseline,
                ConvWidths = baseline.ConvWidths,
                ParamsTotal = baseline.ParamsTotal,
                ParamsTrainable = baseline.ParamsTrainable,
                Macs = baseline.Macs,
                TestAccuracy = Summarize(baselines.Select(b => b.TestAccuracy)),
                TestAccuracyPerFold = PerFold(baselines),
                LogLossMean = Summarize(baselines.Select(b => b.TestLogLoss))?.Mean,
                Runs = baselines.Length,
                LatencyMs = baseline.Latency?.Model.MedianMs,
                Jobs = baselines.Select(b => b.Id).ToArray(),
            }.WithCost(baselines));
        }
        var prunes = jobs.Where(j => j.Kind == JobKinds.Prune).ToArray();
        var groups = jobs.Where(j => j.Kind is JobKinds.Control or JobKinds.Finetune)
            .GroupBy(j => (j.Kind, j.LayerSet, j.Criterion, j.Init, j.Fraction, j.Distilled))
            .OrderBy(g => g.Key.Kind == JobKinds.Control ? 0 : 1);
        foreach (var group in groups)
        {
            var first = group.First();
            // Random-initialised runs share the architecture of the first pruned model of their layer set.
            var source = first.Kind == JobKinds.Control ? baseline
                : prunes.FirstOrDefault(p => p.LayerSet == first.LayerSet && (first.Criterion is null || p.Criterion == first.Criterion));
            rows.Add(Finetuned(group.ToArray(), source));
        }
        return rows;
    }

    /// <summary>The row of one configuration's fine-tuning runs; <paramref name="source"/> is the model they started from.</summary>
    private static StudyRow Finetuned(IReadOnlyList<JobResult> runs, JobResult? source)
    {
        var first = runs[0];
        var loss = Summarize(runs.Select(j => j.TestLogLoss));
        var control = first.Kind == JobKinds.Control;
        return new StudyRow
        {
            Configuration = Describe(first),
            Kind = first.Kind,
            LayerSet = first.LayerSet,
            Criterion = first.Criterion,
            Init = first.Init,
            Fraction = first.Fraction,
            Distilled = first.Distilled,
            ConvWidths = first.ConvWidths,
            ParamsTotal = first.ParamsTotal,
            ParamsTrainable = first.ParamsTrainable,
            Macs = first.Macs,
            AccuracyBeforeFinetune = control ? source?.TestAccuracy : first.Criterion is null ? null : source?.AccuracyBeforeFinetune,
            TestAccuracy = Summarize(runs.Select(j => j.TestAccuracy)),
            TestAccuracyPerFold = PerFold(runs),
            LogLossMean = loss?.Mean,
            LogLossStd = loss?.Sd,
            Runs = runs.Count,
            LatencyMs = source?.Latency?.Model.MedianMs,
            MeasuredSpeedup = source?.Latency?.MeasuredSpeedup,
            MacsRatio = source?.Latency?.MacsRatio,
            ExecutedMacsRatio = source?.Latency?.ExecutedMacsRatio,
            ImportanceSeconds = first.Criterion is null ? null : source?.ImportanceSeconds,
            Jobs = runs.Select(j => j.Id).ToArray(),
            RunAccuracies = runs.Where(j => j.TestAccuracy is not null).ToDictionary(j => new RunKey(j.Fold, j.Seed), j => j.TestAccuracy!.Value),
        }.WithCost(runs);
    }

    /// <summary>The row with the mean training cost of <paramref name="runs"/> (unchanged when none recorded one).</summary>
    private static StudyRow WithCost(this StudyRow row, IReadOnlyList<JobResult> runs)
    {
        var costs = runs.Select(j => j.Cost).OfType<Training.TrainingCost>().ToArray();
        if (costs.Length == 0) return row;
        return row with
        {
            WallSeconds = costs.Average(c => c.WallSeconds),
            CpuSeconds = costs.Average(c => c.CpuSeconds),
            EnergyWh = costs.Average(c => c.EnergyWh),
            Co2G = costs.Average(c => c.Co2G),
            EnergySource = costs.Select(c => c.EnergySource).Distinct().Count() == 1 ? costs[0].EnergySource : "mixed",
        };
    }

    private static string Describe(JobResult job) => job.Kind == JobKinds.Control
        ? string.Create(CultureInfo.InvariantCulture, $"unpruned, same schedule ({job.Fraction:P0} data)")
        : string.Create(CultureInfo.InvariantCulture,
            $"{job.LayerSet}: {job.Criterion ?? "same widths"}, {(job.Init == "random" ? "random init" : "pruned init")}, {job.Fraction:P0} data{(job.Distilled ? ", distilled from the parent" : "")}");

    /// <summary>Each test fold's runs summarised alone (null for a study without folds).</summary>
    private static IReadOnlyDictionary<string, MeanInterval>? PerFold(IReadOnlyList<JobResult> runs)
    {
        if (runs.All(j => j.Fold is null)) return null;
        var folds = new SortedDictionary<string, MeanInterval>(StringComparer.Ordinal);
        foreach (var group in runs.Where(j => j.Fold is not null).GroupBy(j => j.Fold!.Value).OrderBy(g => g.Key))
            if (Summarize(group.Select(j => j.TestAccuracy)) is { } summary) folds[group.Key.ToString(CultureInfo.InvariantCulture)] = summary;
        return folds;
    }

    private static MeanInterval? Summarize(IEnumerable<double?> values) => PairedStatistics.Summarize(values.OfType<double>().ToArray());
}
