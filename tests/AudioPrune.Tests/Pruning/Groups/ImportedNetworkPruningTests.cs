using AudioPrune.Interop;
using AudioPrune.Interop.Onnx;
using AudioPrune.Interop.Onnx.Import;
using AudioPrune.Pruning.Dependency;
using AudioPrune.Pruning.Planning;
using AudioPrune.Tests.Interop;

namespace AudioPrune.Tests.Pruning.Groups;

/// <summary>
/// The networks PyTorch exported (residual with identity and projection shortcuts, depthwise inverted residuals,
/// squeeze-excitation, concatenation and channel splits, torchvision's mobilenet_v3_small) are imported and pruned
/// with every criterion; the pruned network computes what the original computes with the pruned channels zeroed
/// (float64 reference), and its ONNX export agrees with it and with TorchSharp.
/// </summary>
[Collection(TorchSerialCollection.Name)]
[Trait("Category", "Slow")]
public sealed class ImportedNetworkPruningTests
{
    private const int Example = 1 * 64 * 100;

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var network in OnnxFixtureFiles.Networks)
            foreach (var method in CriterionCatalog.Names) data.Add(network, method);
        return data;
    }

    private static PruningResult Prune(global::AudioPrune.Graph.ModelArtifact model, string method) =>
        PruningPlanner.Run(model.Graph, model.Weights, new PruningRequest
        {
            Method = method,
            Ratio = method is "similarity" or "nystrom" ? null : 0.3,
            Criterion = new CriterionOptions { Seed = 3 },
        });

    [Theory]
    [MemberData(nameof(Cases))]
    public void ThePrunedNetworkAndItsExportAreTheOriginalWithThePrunedChannelsZeroed(string network, string method)
    {
        using var dir = new TempDirectory();
        var model = OnnxImporter.Import(OnnxFixtureFiles.Onnx(network));
        var result = Prune(model, method);
        Assert.Contains(result.Plan.Layers, l => l.Kept.Length < l.Filters);
        var groups = ChannelDependency.Analyse(model.Graph);
        var input = OnnxFixtureFiles.Input(network).Take(Example).ToArray();
        var wide = input.Select(v => (double)v).ToArray();
        var expected = MaskedForward.Run(model.Graph, model.Weights, wide, GroupSurgeryTests.Masks(groups, result.Plan.Layers));

        var actual = MaskedForward.Run(result.Graph, result.Weights, wide);
        var scale = expected.Max(Math.Abs);
        var difference = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(difference <= 1e-5 * scale, $"{network}/{method}: outputs differ by {difference} (scale {scale})");
        var unmasked = MaskedForward.Run(model.Graph, model.Weights, wide);
        Assert.True(unmasked.Zip(actual, (e, a) => Math.Abs(e - a)).Max() > 1e-5 * scale, $"{network}/{method}: the pruning changed nothing");

        var pruned = PrunedModel.Create(model, result);
        var path = dir.File("pruned.onnx");
        OnnxExporter.Write(pruned, path, new OnnxExportOptions(ConvolutionLayout: ConvolutionLayout.Plain));
        using var runner = new OnnxModelRunner(path);
        var onnx = runner.Run(input, 1);
        InteropFixtures.AssertClose(expected.Select(v => (float)v).ToArray(), onnx, 1e-5);
        InteropFixtures.AssertClose(InteropFixtures.TorchOutput(pruned, input, 1), onnx, 1e-5);
    }

    [Fact]
    public void AnImportedPrunedNetworkFineTunes()
    {
        var model = OnnxImporter.Import(OnnxFixtureFiles.Onnx("mobilenet_v3_se"));
        var result = Prune(model, "similarity");
        var losses = InteropFixtures.AdamLosses(result.Graph, result.Weights);
        Assert.True(losses[^1] < losses[0] * 0.7, $"losses {string.Join(", ", losses)}");
    }
}
