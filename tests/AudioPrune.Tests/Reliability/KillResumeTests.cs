using AudioPrune.Common;
using System.Diagnostics;
using System.Text.Json;
using AudioPrune.Graph;
using AudioPrune.Pruning.Planning;
using AudioPrune.Reports;
using AudioPrune.Study;
using Xunit.Abstractions;

namespace AudioPrune.Tests.Reliability;

/// <summary>
/// A study killed with SIGKILL at seeded random moments and restarted each time must finish with exactly the
/// results of an uninterrupted run: the same accuracies, kept filters and fine-tuned weights, bit for bit
/// (threads: 1 makes training deterministic). A second process on a running study's folder is refused.
/// </summary>
[Collection(TorchSerialCollection.Name)]
[Trait("Category", "Slow")]
public sealed class KillResumeTests(ITestOutputHelper log)
{
    public const int MinimumKills = 3;
    public const int MaximumKills = 6;

    public const string Config = """
        name: killresume
        data: synthetic
        synthetic: {clips: 16, seconds: 10, classes: 2}
        model: dcase21
        baseline: {epochs: 3, batch_size: 4}
        criteria: [similarity, l1]
        layers:
          C1: [conv1]
        finetune: {epochs: 3, batch_size: 4}
        threads: 1
        latency: {runs: 1, warmup: 0}
        """;

    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(2);

    [Fact]
    public void KilledStudyResumesToTheResultsOfAnUninterruptedRun()
    {
        using var dir = new TempDirectory();
        var config = dir.File("study.yaml");
        File.WriteAllText(config, Config);

        var reference = dir.File("reference");
        var clock = Stopwatch.StartNew();
        using (var run = ChildCli.Start("experiment", config, "--out", reference))
        {
            Assert.True(run.WaitForExit(RunLimit), $"the uninterrupted run took longer than {RunLimit}:\n{run.Output}");
            Assert.True(run.ExitCode == 0, run.Output);
        }
        var fullSeconds = clock.Elapsed.TotalSeconds;

        var interrupted = dir.File("interrupted");
        var random = new Random(20261125);
        var kills = 0;
        while (true)
        {
            using var run = ChildCli.Start("experiment", config, "--out", interrupted);
            if (kills < MaximumKills)
            {
                // Anywhere from process start-up to well into the remaining work.
                var delay = TimeSpan.FromSeconds(fullSeconds * (0.05 + 0.35 * random.NextDouble()));
                if (!run.WaitForExit(delay))
                {
                    run.Kill();
                    log.WriteLine($"killed after {delay.TotalSeconds:0.0} s; its output:\n{run.Output}");
                    kills++;
                    continue;
                }
            }
            Assert.True(run.WaitForExit(RunLimit), $"the resumed run took longer than {RunLimit}:\n{run.Output}");
            Assert.True(run.ExitCode == 0, $"after {kills} kills the resumed run failed:\n{run.Output}");
            log.WriteLine(run.Output);
            break;
        }

        log.WriteLine($"{kills} kill/resume cycles; the uninterrupted run took {fullSeconds:0.0} s");
        Assert.True(kills >= MinimumKills, $"only {kills} kill/resume cycles happened (the run took {fullSeconds:0.0} s)");
        AssertSameResults(reference, interrupted);
    }

    [Fact]
    public void SecondProcessOnARunningStudyIsRefused()
    {
        using var dir = new TempDirectory();
        var config = dir.File("study.yaml");
        File.WriteAllText(config, Config);
        var study = new StudyFolder(dir.File("study"));
        using var first = ChildCli.Start("experiment", config, "--out", study.Root);
        // The study logs its first job only once it holds the folder's lock. (Reading the lock file is no test:
        // opening it takes a shared lock, which fails while the child holds the exclusive one.)
        var waited = Stopwatch.StartNew();
        while (!first.Output.Contains($"{JobKinds.Baseline}: running"))
        {
            Assert.False(first.HasExited, $"the first run ended before taking the lock:\n{first.Output}");
            Assert.True(waited.Elapsed < RunLimit, "the first run never started its first job");
            Thread.Sleep(50);
        }

        var second = CliRunner.Run("experiment", config, "--out", study.Root);

        Assert.Equal(2, second.ExitCode);
        Assert.Equal($"audioprune: error: {study.Root}: another audioprune process is running this study", second.Error.Trim());
        Assert.False(first.HasExited, "the first run finished before the second one was tried");
    }

    private static void AssertSameResults(string reference, string interrupted)
    {
        var expected = new StudyFolder(reference).AllFinished();
        var actual = new StudyFolder(interrupted).AllFinished().ToDictionary(r => r.Id);
        Assert.Equal(6, expected.Count); // baseline, its equal-schedule control, two prune jobs, two fine-tuning jobs
        Assert.Equal(expected.Select(r => r.Id).Order(), actual.Keys.Order());
        Assert.True(File.Exists(new StudyFolder(interrupted).Results));
        foreach (var want in expected)
        {
            var got = actual[want.Id];
            Assert.True(Measured(want) == Measured(got), $"job {want.Id} differs from the uninterrupted run:\n{Measured(want)}\n{Measured(got)}");
            Assert.Equal(want.ConvWidths, got.ConvWidths);
            AssertSameWeights(Path.Combine(reference, want.Model), Path.Combine(interrupted, got.Model));
            if (want.Plan is not null)
                Assert.Equal(KeptFilters(Path.Combine(reference, want.Plan)), KeptFilters(Path.Combine(interrupted, got.Plan!)));
        }
    }

    private static string Measured(JobResult r) => JsonSerializer.Serialize(new
    {
        r.Id, r.Kind, r.Criterion, r.LayerSet, r.Fraction, r.Init, r.Seed, r.ParamsTotal, r.Macs,
        r.TestAccuracy, r.TestLogLoss, r.ValidationAccuracy, r.SelectedEpoch, r.AccuracyBeforeFinetune,
    }, ReportJson.Options);

    private static string KeptFilters(string planPath) =>
        string.Join(";", PlanFile.Read(planPath).Layers.Select(l => $"{l.Name}:{string.Join(',', l.Kept)}"));

    private static void AssertSameWeights(string expectedPath, string actualPath)
    {
        var expected = SafetensorsFile.Read(expectedPath).Tensors;
        var actual = SafetensorsFile.Read(actualPath).Tensors;
        Assert.Equal(expected.Names, actual.Names);
        foreach (var name in expected.Names)
        {
            Assert.Equal(expected[name].Shape, actual[name].Shape);
            Assert.True(expected[name].Data.AsSpan().SequenceEqual(actual[name].Data), $"{actualPath}: tensor '{name}' differs from the uninterrupted run");
        }
    }
}
