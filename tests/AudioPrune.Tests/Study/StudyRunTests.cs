using System.Text.Json;
using System.Text.RegularExpressions;
using AudioPrune.Graph;
using AudioPrune.Interop;
using AudioPrune.Interop.Onnx;

namespace AudioPrune.Tests.Study;

/// <summary>Whole studies through the command line: the small quickstart, an interrupted experiment that resumes, and seeded arms compared in pairs.</summary>
[Collection(TorchSerialCollection.Name)]
[Trait("Category", "Slow")]
public sealed class StudyRunTests
{
    [Fact]
    public void SmallQuickstartRunsEndToEndAndReportsEveryRow()
    {
        using var dir = new TempDirectory();
        var outDir = dir.File("qs");
        var result = CliRunner.Run("quickstart", "--small", "--out", outDir);
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains($"wrote {Path.Combine(outDir, "report.md")}", result.Output);

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")));
        var rows = json.RootElement.GetProperty("rows").EnumerateArray().ToArray();
        var report = File.ReadAllText(Path.Combine(outDir, "report.md"));
        var configurations = report[report.IndexOf("## Configurations", StringComparison.Ordinal)..];
        configurations = configurations[..configurations.IndexOf("\n## ", 3, StringComparison.Ordinal)];
        var tableRows = configurations.Split('\n').Where(l => l.StartsWith("| ") && !l.StartsWith("| configuration")).ToArray();
        Assert.Equal(tableRows.Length, rows.Length);
        Assert.Equal(5, rows.Length);   // the baseline, its equal-schedule control and similarity, nystrom, l1 at equal counts
        Assert.Equal("unpruned, same schedule (100 % data)", rows[1].GetProperty("configuration").GetString());
        foreach (var row in rows)
        {
            Assert.Contains($"| {row.GetProperty("configuration").GetString()} |", report);
            Assert.True(row.GetProperty("params_total").GetInt64() > 0);
            Assert.InRange(row.GetProperty("accuracy_mean").GetDouble(), 0, 1);
        }
        var pruned = rows.Where(r => r.TryGetProperty("criterion", out _)).ToArray();
        Assert.Equal(["l1", "nystrom", "similarity"], pruned.Select(r => r.GetProperty("criterion").GetString()!).Order());
        // Equal counts: l1 took the similarity plan's widths.
        Assert.Single(pruned.Select(r => r.GetProperty("params_total").GetInt64()).Distinct());
        Assert.True(pruned[0].GetProperty("macs").GetInt64() < rows[0].GetProperty("macs").GetInt64());
        // The executed MACs ratio is that of the layout the latency engine ran (this CPU's), for the pruned model against
        // the baseline; the model.onnx a job leaves is the portable one.
        var baseline = ModelArtifact.Load(Path.Combine(outDir, "jobs", "baseline", "model.safetensors")).Graph;
        var layout = ConvolutionLayouts.ForThisCpu();
        foreach (var row in pruned)
        {
            var job = Path.Combine(outDir, "jobs", $"prune-{row.GetProperty("criterion").GetString()}-C123");
            using (var onnx = new OnnxModelRunner(Path.Combine(job, "model.onnx"))) Assert.Equal("plain", onnx.Metadata["conv_layout"]);
            var expected = (double)OnnxExecutedMacs.Of(baseline, layout) / OnnxExecutedMacs.Of(ModelArtifact.Load(Path.Combine(job, "model.safetensors")).Graph, layout);
            Assert.Equal(expected, row.GetProperty("executed_macs_ratio").GetDouble(), 1e-9);
            Assert.InRange(expected, 1.0, row.GetProperty("macs_ratio").GetDouble());
        }
        Assert.Contains("| executed MACs ratio |", report);

        var plots = json.RootElement.GetProperty("plots").EnumerateArray().Select(p => p.GetString()!).ToArray();
        Assert.Contains("plots/accuracy_vs_macs.png", plots);
        Assert.Contains("plots/latency_vs_macs.png", plots);
        Assert.Contains(plots, p => p.StartsWith("plots/distances_similarity_C123_conv2"));
        foreach (var plot in plots)
        {
            var bytes = File.ReadAllBytes(Path.Combine(outDir, plot));
            Assert.True(bytes.Length > 5_000 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G', $"{plot} is not a PNG picture");
            Assert.Contains($"]({plot})", report);
        }
        foreach (var job in Directory.GetDirectories(Path.Combine(outDir, "jobs")))
        {
            Assert.True(File.Exists(Path.Combine(job, "model.onnx")), $"{job} has no ONNX export");
            using var onnx = new OnnxModelRunner(Path.Combine(job, "model.onnx"));
            Assert.Equal("true", onnx.Metadata["batchnorm_folded"]);
        }
    }

    [Fact]
    public void InterruptedExperimentResumesWithoutRedoingFinishedJobs()
    {
        using var dir = new TempDirectory();
        var config = dir.File("tiny.yaml");
        File.Copy(RepositoryFiles.Path("examples/tiny.yaml"), config);
        var outDir = dir.File("tiny");
        var first = CliRunner.Run("experiment", config, "--out", outDir);
        Assert.True(first.ExitCode == 0, first.Error);
        var jobs = Directory.GetDirectories(Path.Combine(outDir, "jobs")).Select(d => Path.GetFileName(d)!).Order().ToArray();
        Assert.Equal(["baseline", "finetune-control-f1-s0", "finetune-l1-C123-f1-pruned-s0", "finetune-similarity-C123-f1-pruned-s0", "prune-l1-C123", "prune-similarity-C123"], jobs);
        var stamps = jobs.ToDictionary(j => j, j => File.GetLastWriteTimeUtc(Path.Combine(outDir, "jobs", j, "result.json")));
        var finishedBefore = File.ReadAllText(Path.Combine(outDir, "jobs", "finetune-l1-C123-f1-pruned-s0", "result.json"));

        // An interruption during the last job: its result was never written.
        File.Delete(Path.Combine(outDir, "jobs", "finetune-l1-C123-f1-pruned-s0", "result.json"));
        var second = CliRunner.Run("experiment", config, "--out", outDir);
        Assert.True(second.ExitCode == 0, second.Error);
        Assert.Equal(5, Regex.Matches(second.Output, "already finished, skipped").Count);
        Assert.Contains("finetune-l1-C123-f1-pruned-s0: running", second.Output);
        foreach (var (job, stamp) in stamps.Where(s => s.Key != "finetune-l1-C123-f1-pruned-s0"))
            Assert.Equal(stamp, File.GetLastWriteTimeUtc(Path.Combine(outDir, "jobs", job, "result.json")));
        // Same seed, one thread: the redone job reaches the same accuracy.
        using var before = JsonDocument.Parse(finishedBefore);
        using var after = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "jobs", "finetune-l1-C123-f1-pruned-s0", "result.json")));
        Assert.Equal(before.RootElement.GetProperty("test_accuracy").GetDouble(), after.RootElement.GetProperty("test_accuracy").GetDouble());
    }

    [Fact]
    public void SeededStudyComparesEachArmWithTheControlAndTheOtherCriterion()
    {
        using var dir = new TempDirectory();
        var config = dir.File("paired.yaml");
        File.WriteAllText(config, """
            name: paired
            data: synthetic
            synthetic: {clips: 16, seconds: 10, classes: 2}
            model: dcase21
            baseline: {epochs: 1, batch_size: 8}
            criteria: [similarity, l1]
            layers:
              C1: [conv1]
            seeds: [0, 1]
            finetune: {epochs: 1, batch_size: 8}
            threads: 1
            latency: {runs: 1, warmup: 0}
            """);
        var outDir = dir.File("paired");
        var run = CliRunner.Run("experiment", config, "--out", outDir);
        Assert.True(run.ExitCode == 0, run.Error);

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")));
        var rows = json.RootElement.GetProperty("rows").EnumerateArray().ToDictionary(r => r.GetProperty("configuration").GetString()!);
        Assert.Equal(["C1: l1, pruned init, 100 % data", "C1: similarity, pruned init, 100 % data", "baseline (unpruned)", "unpruned, same schedule (100 % data)"],
            rows.Keys.Order(StringComparer.Ordinal));
        var control = rows["unpruned, same schedule (100 % data)"];
        Assert.Equal(["finetune-control-f1-s0", "finetune-control-f1-s1"], control.GetProperty("jobs").EnumerateArray().Select(j => j.GetString()!));
        Assert.Equal(rows["baseline (unpruned)"].GetProperty("params_total").GetInt64(), control.GetProperty("params_total").GetInt64());
        foreach (var row in rows.Values.Where(r => r.GetProperty("kind").GetString() != "baseline"))
        {
            var accuracy = row.GetProperty("test_accuracy");
            Assert.Equal(2, accuracy.GetProperty("n").GetInt32());
            var (mean, ci) = (accuracy.GetProperty("mean").GetDouble(), accuracy.GetProperty("ci95"));
            Assert.InRange(mean, ci[0].GetDouble(), ci[1].GetDouble());
            Assert.Equal(row.GetProperty("accuracy_mean").GetDouble(), mean);
        }

        var comparisons = json.RootElement.GetProperty("comparisons").EnumerateArray().ToArray();
        Assert.Equal(
        [
            ("C1: l1, pruned init, 100 % data", "C1: similarity, pruned init, 100 % data"),
            ("C1: l1, pruned init, 100 % data", "unpruned, same schedule (100 % data)"),
            ("C1: similarity, pruned init, 100 % data", "unpruned, same schedule (100 % data)"),
        ], comparisons.Select(c => (c.GetProperty("a").GetString()!, c.GetProperty("b").GetString()!)));
        var report = File.ReadAllText(Path.Combine(outDir, "report.md"));
        foreach (var comparison in comparisons)
        {
            Assert.Equal(2, comparison.GetProperty("n").GetInt32());
            // The mean difference is that of the two seeds' own results, a - b.
            double Accuracy(string row, int seed) => SeedAccuracy(outDir, rows[comparison.GetProperty(row).GetString()!], seed);
            var expected = (Accuracy("a", 0) - Accuracy("b", 0) + Accuracy("a", 1) - Accuracy("b", 1)) / 2;
            Assert.Equal(expected, comparison.GetProperty("mean_difference").GetDouble(), 1e-12);
            var ci = comparison.GetProperty("ci95");
            Assert.InRange(expected, ci[0].GetDouble(), ci[1].GetDouble());
            Assert.Contains(comparison.GetProperty("verdict").GetString()!, report);
        }
        Assert.Contains("- l1 vs similarity (C1, 100 % data): ", report);
        Assert.Contains("- similarity vs unpruned control (C1, 100 % data): ", report);

        // Every row that trained records its cost; without RAPL counters the energy is CPU time x 10 W per core.
        foreach (var row in rows.Values)
        {
            var (cpu, energy, co2) = (row.GetProperty("cpu_seconds").GetDouble(), row.GetProperty("energy_wh").GetDouble(), row.GetProperty("co2_g").GetDouble());
            Assert.True(cpu > 0 && energy > 0 && co2 > 0, $"{row.GetProperty("configuration")}: cpu {cpu}, energy {energy}, co2 {co2}");
            Assert.True(row.GetProperty("wall_seconds").GetDouble() > 0);
            if (row.GetProperty("energy_source").GetString() == "cpu-time") Assert.Equal(cpu * 10 / 3600, energy, 1e-12);
            Assert.Equal(energy / 1000 * 436, co2, 1e-12);
        }
        Assert.Contains("## Training cost", report);
        Assert.Contains("Energy and CO2 are estimates", report);
    }

    [Fact]
    public void StudyComparesFineTuningWithAndWithoutTheParentAsTeacher()
    {
        using var dir = new TempDirectory();
        var config = dir.File("kd.yaml");
        File.WriteAllText(config, """
            name: kd
            data: synthetic
            synthetic: {clips: 16, seconds: 10, classes: 2}
            model: dcase21
            baseline: {epochs: 1, batch_size: 8}
            criteria: [similarity]
            layers:
              C1: [conv1]
            seeds: [0, 1]
            finetune: {epochs: 1, batch_size: 8}
            distillation: {mode: both, weight: 0.7, temperature: 3}
            threads: 1
            latency: {runs: 1, warmup: 0}
            """);
        var outDir = dir.File("kd");
        var run = CliRunner.Run("experiment", config, "--out", outDir);
        Assert.True(run.ExitCode == 0, run.Error);

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")));
        var rows = json.RootElement.GetProperty("rows").EnumerateArray().ToDictionary(r => r.GetProperty("configuration").GetString()!);
        var distilled = rows["C1: similarity, pruned init, 100 % data, distilled from the parent"];
        Assert.True(distilled.GetProperty("distilled").GetBoolean());
        Assert.False(rows["C1: similarity, pruned init, 100 % data"].GetProperty("distilled").GetBoolean());
        Assert.Equal(["finetune-similarity-C1-f1-pruned-s0-kd", "finetune-similarity-C1-f1-pruned-s1-kd"],
            distilled.GetProperty("jobs").EnumerateArray().Select(j => j.GetString()!));

        // The distilled runs learned from the study's own baseline, with the settings of the config.
        var parent = ModelArtifact.Load(Path.Combine(outDir, "jobs", "baseline", "model.safetensors"));
        var child = ModelArtifact.Load(Path.Combine(outDir, "jobs", "finetune-similarity-C1-f1-pruned-s0-kd", "model.safetensors"));
        var kd = JsonDocument.Parse(child.Metadata[ModelArtifact.TrainingKey]).RootElement.GetProperty("distillation");
        Assert.Equal(AudioPrune.Training.TrainingRun.TeacherFingerprint(parent), kd.GetProperty("teacher").GetString());
        Assert.Equal(0.7, kd.GetProperty("weight").GetDouble());
        Assert.Equal(3, kd.GetProperty("temperature").GetDouble());

        var pairs = json.RootElement.GetProperty("comparisons").EnumerateArray()
            .Select(c => (c.GetProperty("a").GetString()!, c.GetProperty("b").GetString()!, c.GetProperty("n").GetInt32())).ToArray();
        Assert.Contains(("C1: similarity, pruned init, 100 % data", "C1: similarity, pruned init, 100 % data, distilled from the parent", 2), pairs);
        Assert.Contains("- similarity vs similarity distilled (C1, 100 % data): ", File.ReadAllText(Path.Combine(outDir, "report.md")));
    }

    [Fact]
    public void KFoldStudyPoolsFoldsAndSeedsWithAControlDistillationAndTwoCriteria()
    {
        using var dir = new TempDirectory();
        var config = dir.File("kfold.yaml");
        File.WriteAllText(config, """
            name: kfold
            data: synthetic
            synthetic: {clips: 18, seconds: 10, classes: 2, folds: 3}
            folds: all
            model: dcase21
            baseline: {epochs: 1, batch_size: 8}
            criteria: [similarity, l1]
            layers:
              C1: [conv1]
            seeds: [0, 1]
            finetune: {epochs: 1, batch_size: 8}
            distillation: {mode: both}
            threads: 1
            latency: {runs: 1, warmup: 0}
            """);
        var outDir = dir.File("kfold");
        var run = CliRunner.Run("experiment", config, "--out", outDir);
        Assert.True(run.ExitCode == 0, run.Error);

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")));
        var rows = json.RootElement.GetProperty("rows").EnumerateArray().ToDictionary(r => r.GetProperty("configuration").GetString()!);
        Assert.Equal(3, rows["baseline (unpruned)"].GetProperty("runs").GetInt32()); // one baseline per test fold
        Assert.True(rows.ContainsKey("unpruned, same schedule (100 % data)"));
        Assert.Equal(6, rows.Count); // baseline, control, 2 criteria x with and without the teacher
        foreach (var row in rows.Values.Where(r => r.GetProperty("kind").GetString() != "baseline"))
        {
            var accuracy = row.GetProperty("test_accuracy");
            Assert.Equal(3 * 2, accuracy.GetProperty("n").GetInt32()); // folds x seeds
            var ci = accuracy.GetProperty("ci95");
            Assert.InRange(accuracy.GetProperty("mean").GetDouble(), ci[0].GetDouble(), ci[1].GetDouble());
            var (cpu, energy) = (row.GetProperty("cpu_seconds").GetDouble(), row.GetProperty("energy_wh").GetDouble());
            Assert.True(energy > 0);
            if (row.GetProperty("energy_source").GetString() == "cpu-time") Assert.Equal(cpu * 10 / 3600, energy, 1e-12);
        }
        Assert.All(json.RootElement.GetProperty("comparisons").EnumerateArray(), c => Assert.Equal(6, c.GetProperty("n").GetInt32()));
        // Per fold: each test fold's two seeds, whose mean over folds is the pooled mean.
        var control = rows["unpruned, same schedule (100 % data)"];
        var perFold = control.GetProperty("test_accuracy_per_fold").EnumerateObject().ToArray();
        Assert.Equal(["1", "2", "3"], perFold.Select(p => p.Name));
        Assert.All(perFold, p => Assert.Equal(2, p.Value.GetProperty("n").GetInt32()));
        Assert.Equal(control.GetProperty("test_accuracy").GetProperty("mean").GetDouble(), perFold.Average(p => p.Value.GetProperty("mean").GetDouble()), 1e-12);
        // Each fold tested on its own clips: the three baselines' test splits are disjoint and cover the data.
        var tested = Enumerable.Range(1, 3).Select(k => Directory.Exists(Path.Combine(outDir, "jobs", $"baseline-k{k}"))).ToArray();
        Assert.All(tested, Assert.True);
        var manifest = File.ReadAllLines(Path.Combine(outDir, "data", "manifest.csv"));
        Assert.Equal("filename,label,fold,group,device", manifest[0]);
        Assert.Equal([1, 2, 3], manifest.Skip(1).Select(l => int.Parse(l.Split(',')[2])).Distinct().Order());
    }

    [Fact]
    public void KFoldStudyRunsOnAnEsc50LayoutAndRefusesADatasetWithoutFolds()
    {
        using var dir = new TempDirectory();
        var data = dir.File("esc50");
        AudioPrune.Tests.Data.DatasetFixtures.Esc50(data);
        var config = dir.File("esc.yaml");
        File.WriteAllText(config, $$"""
            name: esc
            data: {{data}}
            model: dcase21
            baseline: {epochs: 1, batch_size: 4}
            criteria: [l1, l2]
            prune: {ratio: 0.5}
            layers:
              C1: [conv1]
            folds: [2, 5]
            seeds: [0, 1]
            finetune: {epochs: 1, batch_size: 4}
            distillation: {mode: both}
            threads: 1
            latency: {runs: 1, warmup: 0}
            """);
        var run = CliRunner.Run("experiment", config, "--out", dir.File("esc"));
        Assert.True(run.ExitCode == 0, run.Error);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.File("esc"), "results.json")));
        var rows = json.RootElement.GetProperty("rows").EnumerateArray().ToDictionary(r => r.GetProperty("configuration").GetString()!);
        var arm = rows["C1: l1, pruned init, 100 % data"];
        Assert.Equal(["finetune-l1-C1-f1-pruned-s0-k2", "finetune-l1-C1-f1-pruned-s0-k5", "finetune-l1-C1-f1-pruned-s1-k2", "finetune-l1-C1-f1-pruned-s1-k5"],
            arm.GetProperty("jobs").EnumerateArray().Select(j => j.GetString()!));
        Assert.Equal(6, rows.Count); // baseline, control, l1 and l2 with and without the teacher
        foreach (var row in rows.Values.Where(r => r.GetProperty("kind").GetString() != "baseline"))
        {
            var accuracy = row.GetProperty("test_accuracy");
            Assert.Equal(2 * 2, accuracy.GetProperty("n").GetInt32()); // folds x seeds
            var ci = accuracy.GetProperty("ci95");
            Assert.InRange(accuracy.GetProperty("mean").GetDouble(), ci[0].GetDouble(), ci[1].GetDouble());
            Assert.True(row.GetProperty("energy_wh").GetDouble() > 0);
        }

        File.WriteAllText(config, File.ReadAllText(config).Replace("folds: [2, 5]", "folds: [2, 9]"));
        var missing = CliRunner.Run("experiment", config, "--out", dir.File("esc-missing"));
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("folds: 9 not among the dataset's folds 1, 2, 3, 4, 5", missing.Error);
        File.WriteAllText(config, File.ReadAllText(config).Replace($"data: {data}", "data: synthetic\nsynthetic: {clips: 16, seconds: 1, classes: 2}"));
        var none = CliRunner.Run("experiment", config, "--out", dir.File("no-folds"));
        Assert.Equal(2, none.ExitCode);
        Assert.Contains("has no folds", none.Error);
    }

    /// <summary>The test accuracy in the result.json of a row's job with the given seed.</summary>
    private static double SeedAccuracy(string outDir, JsonElement row, int seed)
    {
        var job = row.GetProperty("jobs").EnumerateArray().Select(j => j.GetString()!).Single(j => j.EndsWith($"-s{seed}", StringComparison.Ordinal));
        using var result = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "jobs", job, "result.json")));
        return result.RootElement.GetProperty("test_accuracy").GetDouble();
    }
}
