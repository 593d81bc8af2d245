using System.Text;
using AudioPrune.Study;

namespace AudioPrune.Tests.Reliability;

/// <summary>Seeded mutations of a small valid study config must read to a config or fail with a clean error.</summary>
[Trait("Category", "Slow")]
public sealed class StudyConfigFuzzTests
{
    public const int Cases = 3000;

    public const string ValidConfig = """
        name: fuzz
        data: synthetic
        synthetic: {clips: 16, seconds: 10, classes: 2}
        model: dcase21
        baseline: {epochs: 2, batch_size: 8}
        criteria: [similarity, l1]
        layers:
          C1: [conv1]
        finetune: {epochs: 2, batch_size: 8, lr: 0.001}
        fractions: [1.0]
        seeds: [0]
        threads: 1
        latency: {runs: 2, warmup: 1}
        """;

    [Fact]
    public void MutatedConfigsGiveCleanErrors()
    {
        using var dir = new TempDirectory();
        var outcome = FuzzHarness.Run([Encoding.UTF8.GetBytes(ValidConfig)], seed: 15, Cases, 16L << 20, (bytes, i) =>
        {
            var path = dir.File($"case{i}.yaml");
            File.WriteAllBytes(path, bytes);
            var config = StudyConfigReader.Read(path);
            Assert.NotEmpty(config.Criteria);
            Assert.NotEmpty(config.LayerSets);
            File.Delete(path);
        });
        Assert.True(outcome.Refused > Cases / 4, $"only {outcome.Refused} of {Cases} mutations were refused");
        Assert.True(outcome.Loaded > 0);
    }
}
