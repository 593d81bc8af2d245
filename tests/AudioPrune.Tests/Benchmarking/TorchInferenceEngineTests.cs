using AudioPrune.Inference;
using AudioPrune.Benchmarking;
using AudioPrune.Graph;
using AudioPrune.Graph.Torch;
using AudioPrune.Tests.Interop;
using TorchSharp;

namespace AudioPrune.Tests.Benchmarking;

/// <summary>The TorchSharp engine times the module forms on its first batch and runs the fastest: same outputs, whichever.</summary>
[Collection(TorchSerialCollection.Name)]
public sealed class TorchInferenceEngineTests
{
    [Fact]
    public void The_engine_chooses_its_form_on_the_first_batch_and_gives_the_networks_outputs()
    {
        var model = InteropFixtures.WithWeights(InteropFixtures.PrunedDcase21());
        using var engine = new TorchInferenceEngine(model, threads: 1);
        Assert.Null(engine.Form);
        Assert.Null(engine.ExecutedMacs);

        var random = new Random(4);
        var input = Enumerable.Range(0, 2 * (int)model.Graph.Input.Elements).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var output = engine.Run(input, batch: 2);

        Assert.Contains(engine.Form, new[] { "channels-first", "channels-last" }.SelectMany(l => new[] { $"{l}, channels padded to whole blocks", $"{l}, channels not padded" }));
        var macs = ComplexityReport.Of(model.Graph).Macs;
        var padded = ComplexityReport.Of(ChannelPadding.Padded(model.Graph, 16)!).Macs;
        Assert.Contains(engine.ExecutedMacs!.Value, new[] { macs, padded });

        using var reference = TorchGraphModule.Create(model.Graph, model.Weights, ActivationLayout.ChannelsFirst, padChannels: false);
        using var x = torch.tensor(input, [2, .. model.Graph.Input.Dims.Select(d => (long)d)]);
        using var expected = FastestTorchModule.Forward(reference, x);
        var values = expected.data<float>().ToArray();
        Assert.Equal(values.Length, output.Length);
        for (var i = 0; i < values.Length; i++) Assert.Equal(values[i], output[i], 1e-4f);
    }
}
