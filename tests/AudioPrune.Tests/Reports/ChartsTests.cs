using AudioPrune.Reports;
using ScottPlot;
using ScottPlot.Plottables;

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

    private static PlotSeries Points(string name, double x, double y, bool baseline = false) =>
        new(name, [x, x + 10], [y, y + 1], IsBaseline: baseline);

    private static Dictionary<string, Color> ColoursByLegend(Plot plot) =>
        plot.GetPlottables().OfType<Scatter>().ToDictionary(s => s.LegendText, s => s.Color);

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
        Charts.Histogram(dir.File("hist.png"), "closest-pair distances", "distance", [0.1, 0.2, 0.2, 0.5, 0.9], "similarity");
        foreach (var name in new[] { "acc.png", "heat.png", "hist.png" }) AssertPng(dir.File(name));
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
    }

    [Fact]
    public void A_criterion_has_the_same_colour_in_charts_that_show_different_criteria()
    {
        var first = ColoursByLegend(Charts.SeriesPlot("a", "x", "y", [Points("similarity", 1, 1), Points("l1", 2, 2)]));
        var second = ColoursByLegend(Charts.SeriesPlot("b", "x", "y",
            [Points("l1", 1, 1), Points("nystrom", 2, 2), Points("unpruned", 3, 3, baseline: true)], connect: false));
        var fraction = ColoursByLegend(Charts.SeriesPlot("c", "x", "y", [new PlotSeries("l1, pruned init", [1], [1], Criterion: "l1")]));
        var histogram = Charts.HistogramPlot("d", "x", [0.1, 0.4], "l1").GetPlottables().OfType<BarPlot>().Single().Bars[0].FillColor;

        Assert.Equal(first["l1"], second["l1"]);
        Assert.Equal(first["l1"], fraction["l1, pruned init"]);
        Assert.Equal(first["l1"], histogram);
        Assert.Equal(3, second.Values.Distinct().Count());
        Assert.NotEqual(first["similarity"], first["l1"]);
        Assert.Equal(SeriesColours.Baseline, second["unpruned"]);
        Assert.Equal(SeriesColours.Of("same widths"), SeriesColours.Of("same widths")); // not string.GetHashCode, which changes per process
        Assert.DoesNotContain(SeriesColours.Of("same widths"), global::AudioPrune.Pruning.Planning.CriterionCatalog.Names.Select(SeriesColours.Of));
    }

    [Fact]
    public void The_baseline_is_drawn_last_with_its_own_marker_inside_the_axes_and_the_legend_is_outside_the_data()
    {
        var plot = Charts.SeriesPlot("accuracy", "MACs", "accuracy",
            [Points("unpruned", 286.6, 58.3, baseline: true), Points("similarity", 150, 50), Points("l1", 150, 58.3)], connect: false);

        var scatters = plot.GetPlottables().OfType<Scatter>().ToArray();
        Assert.Equal("unpruned", scatters[^1].LegendText);
        Assert.NotEqual(scatters[0].MarkerShape, scatters[^1].MarkerShape);
        Assert.True(scatters[^1].MarkerSize > scatters[0].MarkerSize);
        plot.Axes.AutoScale();
        var limits = plot.Axes.GetLimits();
        // The baseline is the top-right point: it keeps clear of the frame (ScottPlot's own margins leave 5 % of the range).
        Assert.True(limits.Right > 296.6 + 0.08 * (296.6 - 150), $"right edge {limits.Right}");
        Assert.True(limits.Top > 59.3 + 0.08 * (59.3 - 50), $"top edge {limits.Top}");
        Assert.False(plot.Legend.IsVisible); // not inside the data area ...
        Assert.Contains(plot.Axes.GetPanels(), p => p is ScottPlot.Panels.LegendPanel); // ... but in a panel beside it
    }

    [Fact]
    public void Each_histogram_bar_is_exactly_one_bin_wide_at_its_centre()
    {
        double[] values = [0.2, 0.25, 0.28, 0.33, 0.55, 0.95, 1.2]; // off the bin edges, so rounding cannot move one
        var plot = Charts.HistogramPlot("closest", "distance", values, "similarity", bins: 10);

        var bars = plot.GetPlottables().OfType<BarPlot>().Single().Bars;
        Assert.Equal(10, bars.Count);
        Assert.All(bars, b => Assert.Equal(0.1, b.Size, 12));
        for (var i = 0; i < bars.Count; i++) Assert.Equal(0.2 + (i + 0.5) * 0.1, bars[i].Position, 12);
        Assert.Equal(values.Length, bars.Sum(b => b.Value));
        Assert.Equal([3.0, 1, 0, 1, 0, 0, 0, 1, 0, 1], bars.Select(b => b.Value));
    }

    [Fact]
    public void Equal_values_make_one_bin_centred_on_them()
    {
        var bins = HistogramBins.Of([0.4, 0.4, 0.4], 20);

        Assert.Equal([3], bins.Counts);
        Assert.Equal(0.4, bins.Centre(0), 12);
        Assert.True(bins.Width > 0);
    }
}
