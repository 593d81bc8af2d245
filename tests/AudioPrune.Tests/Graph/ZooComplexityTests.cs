using AudioPrune.Graph;
using AudioPrune.Reports;
using AudioPrune.Zoo;

namespace AudioPrune.Tests.Graph;

/// <summary>The reference networks' published sizes (docs/conventions.md, "Reference networks"), computed from the graphs.</summary>
public sealed class ZooComplexityTests
{
    [Fact]
    public void Dcase21MatchesThePublishedBaseline()
    {
        var report = ComplexityReport.Of(ModelZoo.Create("dcase21").Graph);
        Assert.Equal(new Shape(1, 40, 500), report.Input);
        Assert.Equal(46_246, report.ParamsTotal);
        Assert.Equal(46_118, report.ParamsTrainable);
        Assert.Equal(286_637_800, report.Macs);
        Assert.Equal("286.6 M", Units.Count(report.Macs));
        var conv2 = report.Layers.Single(l => l.Name == "conv2");
        Assert.Equal(0.875, conv2.Macs / (double)report.Macs, 3);   // "conv2 is 87.5 %"
    }

    [Fact]
    public void VggishMatchesThePublishedNetwork()
    {
        var report = ComplexityReport.Of(ModelZoo.Create("vggish").Graph);
        Assert.Equal(55_361_162, report.ParamsTotal);
        Assert.Equal(55_361_162, report.ParamsTrainable);
        Assert.Equal(847_119_616, report.Macs);
        Assert.Equal("847.1 M", Units.Count(report.Macs));
    }

    [Fact]
    public void Cnn14MatchesPanns()
    {
        var report = ComplexityReport.Of(ModelZoo.Create("cnn14").Graph);
        Assert.Equal(new Shape(1, 1001, 64), report.Input);
        Assert.Equal(80_753_615, report.ParamsTrainable);
        Assert.Equal("20.04 G", Units.Count(report.Macs));
        Assert.Equal(20.0, report.Macs / 1e9, 1);
    }

    [Fact]
    public void ClassesAndInputAreConfigurable()
    {
        var graph = ModelZoo.Create("dcase21", classes: 5, input: new Shape(1, 40, 1000)).Graph;
        Assert.Equal(new Shape(5), graph.OutputShape);
        Assert.Equal(new Shape(128), graph.ShapeOf("flatten"));   // pool2 4x100 leaves 32 x 2 x 2
    }

    [Fact]
    public void PeakActivationCountsLiveTensorsOnly()
    {
        var report = ComplexityReport.Of(ModelZoo.Create("dcase21").Graph);
        // conv1..relu2 each keep one 16x40x500 input and one output alive: 2 x 1.28 MB.
        Assert.Equal(2L * 16 * 40 * 500 * 4, report.PeakActivationBytes);
        Assert.Equal(report.ParamsTotal * 4, report.BytesFp32);
    }

    [Theory]
    [InlineData("cnn10", 5_219_279)]   // PANNs reports 5.2 M for CNN10 and 4.8 M for CNN6 (527 classes)
    [InlineData("cnn6", 4_837_455)]
    public void SmallerPannsBuild(string name, long expectedTrainable)
    {
        var report = ComplexityReport.Of(ModelZoo.Create(name).Graph);
        Assert.Equal(expectedTrainable, report.ParamsTrainable);
    }
}
