using AudioPrune.Graph;
using AudioPrune.Interop;
using AudioPrune.Pruning.Planning;

namespace AudioPrune.Tests.Reliability;

/// <summary>Seeded mutations of a real Keras model and of a pruning plan, read the way the commands read them.</summary>
[Trait("Category", "Slow")]
public sealed class ModelFileFuzzTests
{
    public const int KerasCases = 1000;
    public const int PlanCases = 3000;

    [Fact]
    public void MutatedKerasFilesGiveCleanErrors()
    {
        var valid = File.ReadAllBytes(SharedFiles.KerasModel("C3"));
        using var dir = new TempDirectory();
        var outcome = FuzzHarness.Run([valid], seed: 13, KerasCases, 256L << 20, (bytes, i) =>
        {
            var path = dir.File($"case{i}.h5");
            File.WriteAllBytes(path, bytes);
            var artifact = ModelLoader.Load(path);
            artifact.Weights.EnsureMatches(artifact.Graph, path);
            File.Delete(path);
        });
        Assert.True(outcome.Refused > KerasCases / 10, $"only {outcome.Refused} of {KerasCases} mutations were refused");
    }

    [Fact]
    public void MutatedPlansGiveCleanErrors()
    {
        var graph = new SequentialBuilder("tiny", new Shape(1, 8, 8))
            .Conv("conv1", 6, 3).BatchNorm("bn1").Relu("relu1").Conv("conv2", 5, 3).Relu("relu2").Flatten("flatten").Linear("fc", 3)
            .Build();
        var weights = WeightInitializer.Initialize(graph, 1);
        using var dir = new TempDirectory();
        var validPath = dir.File("plan.json");
        PlanFile.Write(validPath, PruningPlanner.Run(graph, weights, new PruningRequest { Method = "l1", Keep = [3] }).Plan);
        var valid = File.ReadAllBytes(validPath);

        var outcome = FuzzHarness.Run([valid], seed: 14, PlanCases, 16L << 20, (bytes, i) =>
        {
            var path = dir.File($"case{i}.json");
            File.WriteAllBytes(path, bytes);
            var plan = PlanFile.Read(path);
            var result = PruningPlanner.Run(graph, weights, new PruningRequest { PlanIn = plan, PlanInPath = path });
            result.Weights.EnsureMatches(result.Graph, path);
            File.Delete(path);
        });
        Assert.True(outcome.Refused > PlanCases / 2, $"only {outcome.Refused} of {PlanCases} mutations were refused");
        Assert.True(outcome.Loaded > 0);
    }
}
