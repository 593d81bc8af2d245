using AudioPrune.Inference;
using AudioPrune.Benchmarking;
using AudioPrune.Graph;
using AudioPrune.Interop.Onnx;
using AudioPrune.Tests.Interop;

namespace AudioPrune.Tests.Benchmarking;

/// <summary>The ratios a latency result reports, and the executed multiply-adds the engines give it.</summary>
[Collection(TorchSerialCollection.Name)]
public sealed class LatencyResultTests
{
    private static LatencyStats Median(double ms) => new(1, ms, ms, ms, ms, ms);

    [Fact]
    public void Efficiency_is_the_speed_up_over_the_macs_ratio_and_over_the_executed_macs_ratio()
    {
        var result = new LatencyResult("onnx", 1, 1, Macs: 100, Median(2.0), ParentMacs: 200, Parent: Median(3.0),
            ExecutedMacs: 150, ParentExecutedMacs: 240);
        Assert.Equal(1.5, result.MeasuredSpeedup!.Value, 12);
        Assert.Equal(2.0, result.MacsRatio!.Value, 12);
        Assert.Equal(0.75, result.MacEfficiency!.Value, 12);
        Assert.Equal(1.6, result.ExecutedMacsRatio!.Value, 12);
        Assert.Equal(1.5 / 1.6, result.ExecutedMacEfficiency!.Value, 12);

        var alone = new LatencyResult("onnx", 1, 1, 100, Median(2.0), ExecutedMacs: 150);
        Assert.Null(alone.MacEfficiency);
        Assert.Null(alone.ExecutedMacEfficiency);
    }

    [Fact]
    public void The_onnx_engines_report_what_their_convolution_layout_executes()
    {
        var model = InteropFixtures.WithWeights(InteropFixtures.PrunedDcase21());
        using var plain = new OnnxInferenceEngine(model, threads: 1, ConvolutionLayout.Plain);
        using var blocked = new OnnxInferenceEngine(model, threads: 1, ConvolutionLayout.Blocked16);
        Assert.Equal(ComplexityReport.Of(model.Graph).Macs, plain.ExecutedMacs);
        Assert.Equal(OnnxExecutedMacs.Of(model.Graph, ConvolutionLayout.Blocked16), blocked.ExecutedMacs);
        Assert.True(blocked.ExecutedMacs > plain.ExecutedMacs);
    }
}
