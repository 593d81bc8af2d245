using AudioPrune.Graph;
using AudioPrune.Graph.Nodes;
using AudioPrune.Interop;
using AudioPrune.Zoo;

namespace AudioPrune.Tests.Interop;

/// <summary>import --bn-eps: a state_dict stores no batch-norm eps, so the graph's is used (and noted where it is not PyTorch's) unless set.</summary>
[Collection(TorchSerialCollection.Name)]
public sealed class StateDictBatchNormEpsilonTests
{
    /// <summary>A dcase21 state_dict (the graph's batch norms use eps 1e-3) with statistics away from (0, 1).</summary>
    private static string StateDict(TempDirectory dir)
    {
        var path = dir.File("weights.pt");
        StateDictExporter.WritePyTorch(InteropFixtures.WithWeights(ModelZoo.Create("dcase21").Graph, seed: 5), path);
        return path;
    }

    private static double[] Epsilons(string model) =>
        ModelArtifact.Load(model).Graph.NodesOf<BatchNormNode>().Select(b => b.Epsilon).Distinct().ToArray();

    [Fact]
    public void BnEpsSetsEveryBatchNormAndChangesTheOutputWhileTheGraphsOwnIsNoted()
    {
        using var dir = new TempDirectory();
        var weights = StateDict(dir);
        var graphs = dir.File("graph.safetensors");
        var pytorchs = dir.File("pytorch.safetensors");

        var kept = CliRunner.Run("import", weights, "--graph", "dcase21", "--out", graphs);
        var set = CliRunner.Run("import", weights, "--graph", "dcase21", "--bn-eps", "1e-5", "--out", pytorchs);

        Assert.True(kept.ExitCode == 0, kept.Error);
        Assert.True(set.ExitCode == 0, set.Error);
        var note = Assert.Single(kept.Output.Split('\n'), l => l.StartsWith("note:", StringComparison.Ordinal));
        Assert.Contains("used the graph's 0.001", note);
        Assert.Contains("--bn-eps 1e-05", note);
        Assert.DoesNotContain("note:", set.Output);
        Assert.Equal([1e-3], Epsilons(graphs));
        Assert.Equal([1e-5], Epsilons(pytorchs));
        var batch = InteropFixtures.RandomInput(2 * 40 * 500, seed: 4);
        Assert.NotEqual(InteropFixtures.TorchOutput(ModelArtifact.Load(graphs), batch, 2), InteropFixtures.TorchOutput(ModelArtifact.Load(pytorchs), batch, 2));
    }

    [Fact]
    public void AGraphWithPyTorchsEpsGetsNoNote()
    {
        using var dir = new TempDirectory();
        var weights = StateDict(dir);
        var first = dir.File("first.safetensors");
        Assert.Equal(0, CliRunner.Run("import", weights, "--graph", "dcase21", "--bn-eps", "1e-5", "--out", first).ExitCode);

        var again = CliRunner.Run("import", weights, "--graph", first, "--out", dir.File("again.safetensors"));

        Assert.True(again.ExitCode == 0, again.Error);
        Assert.DoesNotContain("note:", again.Output);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1e-5")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    public void AnEpsThatIsNotAFinitePositiveNumberIsRefused(string value)
    {
        using var dir = new TempDirectory();
        var weights = StateDict(dir);
        var model = dir.File("m.safetensors");

        var result = CliRunner.Run("import", weights, "--graph", "dcase21", "--bn-eps", value, "--out", model);

        Cli.ModelCommandTests.AssertBadInput(result, "--bn-eps");
        Assert.Contains("finite number above 0", result.Error);
        Assert.Equal("", result.Output);
        Assert.False(File.Exists(model));
    }

    [Fact]
    public void AModelThatCarriesItsOwnEpsRefusesBnEps()
    {
        using var dir = new TempDirectory();
        var model = dir.File("m.safetensors");

        var result = CliRunner.Run("import", SharedFiles.KerasModel("C3"), "--bn-eps", "1e-5", "--out", model);

        Cli.ModelCommandTests.AssertBadInput(result, "drop --graph, --strip-prefix and --bn-eps");
        Assert.False(File.Exists(model));
    }
}
