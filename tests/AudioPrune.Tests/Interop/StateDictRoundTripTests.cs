using AudioPrune.Graph;
using AudioPrune.Interop;
using AudioPrune.Interop.PyTorch;

namespace AudioPrune.Tests.Interop;

[Collection(TorchSerialCollection.Name)]
public sealed class StateDictRoundTripTests
{
    [Theory]
    [InlineData("--pytorch", "weights.pt")]
    [InlineData("--safetensors", "weights.safetensors")]
    public void PrunedModelExportedAndImportedBackReproducesItsOutputsExactly(string format, string fileName)
    {
        using var temp = new TempDirectory();
        var original = InteropFixtures.WithWeights(InteropFixtures.PrunedDcase21(11, 16, 22), seed: 11);
        var modelPath = temp.File("pruned.safetensors");
        original.Save(modelPath);
        var weightsPath = temp.File(fileName);
        var graphPath = temp.File("graph.json");
        var reimported = temp.File("reimported.safetensors");

        var export = CliRunner.Run("export", modelPath, format, weightsPath, "--graph-json", graphPath);
        var import = CliRunner.Run("import", weightsPath, "--graph", graphPath, "--out", reimported);

        Assert.True(export.ExitCode == 0, export.Error);
        Assert.True(import.ExitCode == 0, import.Error);
        var back = ModelArtifact.Load(reimported);
        Assert.Equal(GraphJson.Serialize(original.Graph), GraphJson.Serialize(back.Graph));
        Assert.All(original.Weights.Names, n => Assert.Equal(original.Weights[n].Data, back.Weights[n].Data));
        var batch = InteropFixtures.RandomInput(4 * 40 * 500, seed: 2);
        Assert.Equal(InteropFixtures.TorchOutput(original, batch, 4), InteropFixtures.TorchOutput(back, batch, 4));
    }

    [Fact]
    public void PyTorchFileHoldsStateDictNamesAndBatchCounters()
    {
        using var temp = new TempDirectory();
        var model = ModelLoader.Load("dcase21", seed: 4);
        var path = temp.File("dcase21.pt");

        StateDictExporter.WritePyTorch(model, path);

        var table = TorchSharp.PyBridge.PyTorchUnpickler.UnpickleStateDict(path);
        Assert.Contains("conv1.weight", table.Keys.Cast<string>());
        Assert.Contains("bn1.num_batches_tracked", table.Keys.Cast<string>());
        var read = PyTorchStateDictFile.Read(path);
        Assert.Equal(model.Weights.Names.Order(), read.Names.Order());
        Assert.Equal(model.Weights["fc1.weight"].Data, read["fc1.weight"].Data);
        foreach (var value in table.Values) (value as IDisposable)?.Dispose();
    }

    [Fact]
    public void ZooGraphImportKeepsZooLabelsAndFrontEnd()
    {
        using var temp = new TempDirectory();
        var weights = temp.File("w.safetensors");
        StateDictExporter.WriteSafetensors(ModelLoader.Load("dcase21", seed: 1), weights);

        var result = CliRunner.Run("import", weights, "--graph", "dcase21", "--out", temp.File("m.safetensors"));

        Assert.True(result.ExitCode == 0, result.Error);
        var model = ModelArtifact.Load(temp.File("m.safetensors"));
        Assert.Equal("airport", model.Labels[0]);
        Assert.Contains("dcase2021", model.Metadata[ModelArtifact.FrontEndKey]);
    }
}
