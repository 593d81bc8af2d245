using AudioPrune.Graph;
using AudioPrune.Graph.Nodes;
using AudioPrune.Graph.Torch;
using AudioPrune.Interop;
using AudioPrune.Interop.Onnx;
using AudioPrune.Interop.Onnx.Import;
using TorchSharp;
using static TorchSharp.torch;

namespace AudioPrune.Tests.Interop;

/// <summary>Imports of the PyTorch-made ONNX fixtures: outputs, parameter counts, names, re-export and training.</summary>
[Collection(TorchSerialCollection.Name)]
public sealed class OnnxImportTests
{
    private const int Batch = 2;

    [Theory]
    [MemberData(nameof(OnnxFixtureFiles.FileData), MemberType = typeof(OnnxFixtureFiles))]
    public void TorchSharpForwardMatchesPyTorch(string file)
    {
        var model = OnnxImporter.Import(OnnxFixtureFiles.Onnx(file));
        var actual = InteropFixtures.TorchOutput(model, OnnxFixtureFiles.Input(file), Batch);
        InteropFixtures.AssertClose(OnnxFixtureFiles.Output(file), actual, 1e-4);
    }

    [Theory]
    [MemberData(nameof(OnnxFixtureFiles.FileData), MemberType = typeof(OnnxFixtureFiles))]
    public void ReexportedModelMatchesTheSourceInOnnxRuntime(string file)
    {
        using var dir = new TempDirectory();
        var model = OnnxImporter.Import(OnnxFixtureFiles.Onnx(file));
        var path = dir.File("reexported.onnx");
        OnnxExporter.Write(model, path, new OnnxExportOptions(ConvolutionLayout: ConvolutionLayout.Plain));
        var input = OnnxFixtureFiles.Input(file);
        using var source = new OnnxModelRunner(OnnxFixtureFiles.Onnx(file));
        using var reexported = new OnnxModelRunner(path);
        var expected = source.Run(input, Batch);
        InteropFixtures.AssertClose(expected, reexported.Run(input, Batch), 1e-5);
        InteropFixtures.AssertClose(OnnxFixtureFiles.Output(file), expected, 1e-4);
    }

    [Theory]
    [MemberData(nameof(OnnxFixtureFiles.NetworkData), MemberType = typeof(OnnxFixtureFiles))]
    public void ParameterCountEqualsPyTorchs(string file)
    {
        var model = OnnxImporter.Import(OnnxFixtureFiles.Onnx(file));
        var trainable = model.Graph.ParameterTensors.Where(p => p.Spec.Trainable).Sum(p => p.Spec.Elements);
        Assert.Equal(OnnxFixtureFiles.Json(file).GetProperty("parameter_count").GetInt64(), trainable);
        Assert.Equal(trainable, ComplexityReport.Of(model.Graph).ParamsTrainable);
    }

    [Theory]
    [MemberData(nameof(OnnxFixtureFiles.NetworkData), MemberType = typeof(OnnxFixtureFiles))]
    public void LayersAreNamedByTheirPyTorchModulePaths(string file)
    {
        var model = OnnxImporter.Import(OnnxFixtureFiles.Onnx(file));
        var json = OnnxFixtureFiles.Json(file);
        var modules = new[] { "convs", "batchnorms", "linears" }
            .SelectMany(k => json.GetProperty(k).EnumerateArray().Select(e => e.GetProperty("module").GetString()!)).ToHashSet();
        var weighted = model.Graph.Nodes.Where(n => n.Parameters.Count > 0).Select(n => n.Name).ToHashSet();
        Assert.Equal(modules.Order(), weighted.Order());
        Assert.Equal(ConvModules(json), model.Graph.ConvLayers.Select(c => c.Name).Order());
    }

    [Fact]
    public void FoldedExportNamesItsConvolutionsByModulePathAndKeepsTheirBiases()
    {
        var model = OnnxImporter.Import(OnnxFixtureFiles.Onnx("resnet_small-folded"));
        var json = OnnxFixtureFiles.Json("resnet_small");
        Assert.Equal(ConvModules(json), model.Graph.ConvLayers.Select(c => c.Name).Order());
        Assert.All(model.Graph.ConvLayers, c => Assert.True(c.Bias));
        Assert.Empty(model.Graph.NodesOf<BatchNormNode>());
    }

    [Fact]
    public void ExportQuirksBecomeSingleNodes()
    {
        var concat = OnnxImporter.Import(OnnxFixtureFiles.Onnx("concat_net")).Graph;
        Assert.Equal(ActivationKind.Gelu, Assert.IsType<ActivationNode>(concat["reduce.2"]).Kind);
        Assert.Equal(ActivationKind.Silu, Assert.IsType<ActivationNode>(concat["stem.2"]).Kind);
        var slices = concat.NodesOf<ChannelSliceNode>().Select(s => (s.Start, s.Count)).ToArray();
        Assert.Equal([(0, 12), (12, 20), (0, 8)], slices);
        Assert.Contains(concat.NodesOf<Pool2dNode>(), p => p is { Kind: PoolKind.Avg, CountIncludePad: true, Padding.H: 1 });
        var v3 = OnnxImporter.Import(OnnxFixtureFiles.Onnx("mobilenet_v3_se")).Graph;
        Assert.Equal(ActivationKind.HardSwish, Assert.IsType<ActivationNode>(v3["stem.2"]).Kind);
        Assert.NotEmpty(v3.NodesOf<MulNode>());
        var v2 = OnnxImporter.Import(OnnxFixtureFiles.Onnx("mobilenet_v2_small")).Graph;
        Assert.All(v2.NodesOf<ActivationNode>(), a => Assert.Equal((ActivationKind.Clip, 0.0, 6.0), (a.Kind, a.Min!.Value, a.Max!.Value)));
        var flat = OnnxImporter.Import(OnnxFixtureFiles.Onnx("plain_flatten")).Graph;
        Assert.Equal(384, Assert.IsType<LinearNode>(flat["fc1"]).InFeatures);
    }

    [Fact]
    public void SharedInitializersGiveEachConvolutionItsOwnCopy()
    {
        var model = OnnxImporter.Import(OnnxFixtureFiles.Onnx("torchvision_mobilenet_v3_small"));
        var a = model.Weights["features.11.block.2.fc2.bias"];
        var b = model.Weights["features.10.block.2.fc2.bias"];
        Assert.Equal(a.Data, b.Data);
        Assert.NotSame(a.Data, b.Data);
    }

    [Theory]
    [MemberData(nameof(OnnxFixtureFiles.NetworkData), MemberType = typeof(OnnxFixtureFiles))]
    public void ImportedModelSurvivesItsArtifactAndGraphJson(string file)
    {
        using var dir = new TempDirectory();
        var model = OnnxImporter.Import(OnnxFixtureFiles.Onnx(file));
        model.Save(dir.File("m.safetensors"));
        var loaded = ModelArtifact.Load(dir.File("m.safetensors"));
        Assert.Equal(GraphJson.Serialize(model.Graph), GraphJson.Serialize(loaded.Graph));
        var actual = InteropFixtures.TorchOutput(loaded, OnnxFixtureFiles.Input(file), Batch);
        InteropFixtures.AssertClose(OnnxFixtureFiles.Output(file), actual, 1e-4);
    }

    [Fact]
    public void ModuleWeightsComeBackUnderTheGraphsDottedNames()
    {
        var model = OnnxImporter.Import(OnnxFixtureFiles.Onnx("resnet_small"));
        using var module = TorchGraphModule.Create(model.Graph, model.Weights);
        var back = module.ToWeightMap();
        Assert.Equal(model.Weights.Names.Order(), back.Names.Order());
        Assert.Equal(model.Weights["layer2.0.downsample.0.weight"].Data, back["layer2.0.downsample.0.weight"].Data);
    }

    [Theory]
    [InlineData("mobilenet_v3_se")]
    [InlineData("concat_net")]
    public void ImportedModelTrains(string file)
    {
        var model = OnnxImporter.Import(OnnxFixtureFiles.Onnx(file));
        var losses = InteropFixtures.AdamLosses(model.Graph, model.Weights);
        Assert.True(losses[^1] < losses[0] * 0.7, $"losses {string.Join(", ", losses)}");
    }

    [Fact]
    public void OnlyAudioPrunesOwnExportsAreRunAsTheyAre()
    {
        using var dir = new TempDirectory();
        var model = OnnxImporter.Import(OnnxFixtureFiles.Onnx("plain_flatten"));
        OnnxExporter.Write(model, dir.File("own.onnx"), new OnnxExportOptions());
        Assert.True(OnnxImporter.IsAudioPruneExport(dir.File("own.onnx")));
        Assert.False(OnnxImporter.IsAudioPruneExport(OnnxFixtureFiles.Onnx("plain_flatten")));
        Assert.False(OnnxImporter.IsAudioPruneExport(Path.Combine(OnnxFixtureFiles.Folder, "bad", "truncated.onnx")));
    }

    [Fact]
    public void ModelLoaderImportsAForeignOnnxFile()
    {
        var model = ModelLoader.Load(OnnxFixtureFiles.Onnx("resnet_small"));
        Assert.Equal(new Shape(1, 64, 100), model.Graph.Input);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"class{i}"), model.Labels);
        Assert.Contains("onnx", model.Metadata[ModelArtifact.ProvenanceKey]);
    }

    /// <summary>The state_dict module paths of the network's convolutions, sorted (ONNX orders them as they run).</summary>
    private static IEnumerable<string> ConvModules(System.Text.Json.JsonElement json) =>
        json.GetProperty("convs").EnumerateArray().Select(e => e.GetProperty("module").GetString()!).Order();
}
