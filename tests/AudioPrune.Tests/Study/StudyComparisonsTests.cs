using System.Text.Json;
using AudioPrune.Study;

namespace AudioPrune.Tests.Study;

/// <summary>The report of a study folder holding hand-made job results: rows with t intervals, and which arms are compared.</summary>
public sealed class StudyComparisonsTests
{
    private static JobResult Job(string id, string kind, double? accuracy, string? criterion = null, string? set = null, double fraction = 1.0, int seed = 0) => new()
    {
        Id = id, Kind = kind, Criterion = criterion, LayerSet = set, Fraction = fraction, Seed = seed, TestAccuracy = accuracy,
        ParamsTotal = 100, ParamsTrainable = 90, Macs = 1000, ConvWidths = new Dictionary<string, int> { ["conv1"] = 4 }, Seconds = 1, Model = $"jobs/{id}/model.safetensors",
    };

    /// <summary>Three seeds of each arm; C2 at full data and C1 at half data have only similarity; two seeds at half data.</summary>
    private static IEnumerable<JobResult> Jobs()
    {
        yield return Job("baseline", JobKinds.Baseline, 0.80);
        yield return Job("prune-similarity-C1", JobKinds.Prune, null, "similarity", "C1");
        double[] control = [0.60, 0.62, 0.64], similarity = [0.80, 0.75, 0.90], l1 = [0.70, 0.72, 0.85], c2 = [0.50, 0.52, 0.55];
        for (var seed = 0; seed < 3; seed++)
        {
            yield return Job($"finetune-control-f1-s{seed}", JobKinds.Control, control[seed], seed: seed);
            yield return Job($"finetune-control-f0.5-s{seed}", JobKinds.Control, 0.5, fraction: 0.5, seed: seed);
            yield return Job($"finetune-similarity-C1-f1-pruned-s{seed}", JobKinds.Finetune, similarity[seed], "similarity", "C1", seed: seed);
            yield return Job($"finetune-l1-C1-f1-pruned-s{seed}", JobKinds.Finetune, l1[seed], "l1", "C1", seed: seed);
            yield return Job($"finetune-similarity-C2-f1-pruned-s{seed}", JobKinds.Finetune, c2[seed], "similarity", "C2", seed: seed);
            if (seed < 2) yield return Job($"finetune-similarity-C1-f0.5-pruned-s{seed}", JobKinds.Finetune, 0.51 + 0.01 * seed, "similarity", "C1", 0.5, seed);
        }
    }

    [Fact]
    public void ResultsHoldIntervalsPerRowAndComparisonsOfArmsAtTheSameFraction()
    {
        using var dir = new TempDirectory();
        var folder = new StudyFolder(dir.Path);
        foreach (var job in Jobs()) folder.Finish(job);
        StudyReport.Write(folder, "hand-made");

        using var json = JsonDocument.Parse(File.ReadAllText(folder.Results));
        var rows = json.RootElement.GetProperty("rows").EnumerateArray().ToDictionary(r => r.GetProperty("configuration").GetString()!);
        var baseline = rows["baseline (unpruned)"].GetProperty("test_accuracy");
        Assert.Equal(0.80, baseline.GetProperty("mean").GetDouble());
        Assert.Equal(1, baseline.GetProperty("n").GetInt32());
        Assert.Equal(JsonValueKind.Null, baseline.GetProperty("sd").ValueKind);
        Assert.Equal(JsonValueKind.Null, baseline.GetProperty("ci95").ValueKind);

        var similarity = rows["C1: similarity, pruned init, 100 % data"];
        var accuracy = similarity.GetProperty("test_accuracy");
        Assert.Equal(0.81666667, accuracy.GetProperty("mean").GetDouble(), 1e-8);
        Assert.Equal(accuracy.GetProperty("mean").GetDouble(), similarity.GetProperty("accuracy_mean").GetDouble());
        Assert.Equal(accuracy.GetProperty("sd").GetDouble(), similarity.GetProperty("accuracy_std").GetDouble());
        Assert.Equal(3, accuracy.GetProperty("n").GetInt32());
        Assert.Equal(2, accuracy.GetProperty("ci95").GetArrayLength());
        Assert.Equal("control", rows["unpruned, same schedule (100 % data)"].GetProperty("kind").GetString());
        Assert.Equal(0.80, rows["unpruned, same schedule (50 % data)"].GetProperty("accuracy_before_finetune").GetDouble());

        var comparisons = json.RootElement.GetProperty("comparisons").EnumerateArray()
            .ToDictionary(c => (c.GetProperty("a").GetString()!, c.GetProperty("b").GetString()!));
        // Arms at other layer sets or fractions are not compared, except each with the control at its fraction.
        Assert.Equal(
        [
            ("C1: l1, pruned init, 100 % data", "C1: similarity, pruned init, 100 % data"),
            ("C1: l1, pruned init, 100 % data", "unpruned, same schedule (100 % data)"),
            ("C1: similarity, pruned init, 100 % data", "unpruned, same schedule (100 % data)"),
            ("C1: similarity, pruned init, 50 % data", "unpruned, same schedule (50 % data)"),
            ("C2: similarity, pruned init, 100 % data", "unpruned, same schedule (100 % data)"),
        ], comparisons.Keys.Order());
        // l1 - similarity: the hand-computed interval of PairedStatisticsTests, negated.
        var l1VsSimilarity = comparisons[("C1: l1, pruned init, 100 % data", "C1: similarity, pruned init, 100 % data")];
        Assert.Equal(-0.06, l1VsSimilarity.GetProperty("mean_difference").GetDouble(), 1e-12);
        Assert.Equal(-0.149567, l1VsSimilarity.GetProperty("ci95")[0].GetDouble(), 1e-6);
        Assert.Equal(0.029567, l1VsSimilarity.GetProperty("ci95")[1].GetDouble(), 1e-6);
        Assert.Equal(3, l1VsSimilarity.GetProperty("n").GetInt32());
        Assert.Equal("no detectable difference at n = 3", l1VsSimilarity.GetProperty("verdict").GetString());
        Assert.Equal("worse", comparisons[("C2: similarity, pruned init, 100 % data", "unpruned, same schedule (100 % data)")].GetProperty("verdict").GetString());
        // Seeds 0 and 1 pair at half data; the control's seed 2 has no partner.
        Assert.Equal(2, comparisons[("C1: similarity, pruned init, 50 % data", "unpruned, same schedule (50 % data)")].GetProperty("n").GetInt32());

        var report = File.ReadAllText(folder.Report);
        Assert.True(report.IndexOf("## Comparisons", StringComparison.Ordinal) < report.IndexOf("| configuration", StringComparison.Ordinal));
        Assert.Contains("- l1 vs similarity (C1, 100 % data): −6.0 points [−15.0, +3.0], n = 3: no detectable difference at n = 3\n", report);
        Assert.Contains("- similarity vs unpruned control (C2, 100 % data): −9.7 points [", report);
        Assert.Contains("| unpruned, same schedule (100 % data) |", report);
        // Mean ± the interval's half-width, then the sd: 0.80, 0.75, 0.90 have mean 0.816667, deviations -0.016667,
        // -0.066667, 0.083333, squares summing to 0.011667, sd sqrt(0.011667 / 2) = 0.076376; 4.302653 x 0.076376 / sqrt 3 = 0.189729.
        Assert.Contains("| 81.67 ± 18.97 | 7.64 |", report);
    }
}
