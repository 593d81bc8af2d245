using AudioPrune.Reports;

namespace AudioPrune.Tests.Reports;

public sealed class ChartsTests
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private static void AssertPng(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 5_000, $"{path} is only {bytes.Length} bytes");
        Assert.Equal(PngSignature, bytes[..8]);
    }

    [Fact]
    public void WritesSeriesHeatmapAndHistogramPngs()
    {
        using var dir = new TempDirectory();
        Charts.Series(dir.File("acc.png"), "accuracy vs MACs", "MACs (M)", "accuracy (%)",
        [
            new PlotSeries("similarity", [138.9, 209.2, 286.6], [44.3, 46.5, 48.6], [0.5, 0.4, 0.3]),
            new PlotSeries("l1", [138.9, 209.2, 286.6], [43.0, 45.5, 48.6]),
        ]);
        var matrix = new double[16, 16];
        for (var i = 0; i < 16; i++) for (var j = 0; j < 16; j++) matrix[i, j] = Math.Abs(i - j) / 16.0;
        Charts.Heatmap(dir.File("heat.png"), "conv1 cosine distance", matrix, "distance");
        Charts.Histogram(dir.File("hist.png"), "closest-pair distances", "distance", [0.1, 0.2, 0.2, 0.5, 0.9]);
        foreach (var name in new[] { "acc.png", "heat.png", "hist.png" }) AssertPng(dir.File(name));
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
    }
}
