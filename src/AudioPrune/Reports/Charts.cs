using AudioPrune.Common;
using ScottPlot;

namespace AudioPrune.Reports;

/// <summary>
/// The report's pictures as PNG files (headless ScottPlot), each written atomically.
/// Kept to three shapes of chart: series of points, a heatmap, and a histogram; each is built as a <see cref="Plot"/>
/// first so that tests can check what is drawn without reading pixels.
/// </summary>
internal static class Charts
{
    private const int Width = 800;
    private const int Height = 520;

    /// <summary>Whitespace on each side beyond the data, a fraction of its range, so that no point or bar sits on the frame.</summary>
    private const double Margin = 0.1;

    public static void Series(string path, string title, string xLabel, string yLabel, IEnumerable<PlotSeries> series, bool connect = true) =>
        Save(SeriesPlot(title, xLabel, yLabel, series, connect), path);

    /// <summary>Points per series, joined by lines when <paramref name="connect"/>; the legend sits right of the data, which it would cover inside.</summary>
    public static Plot SeriesPlot(string title, string xLabel, string yLabel, IEnumerable<PlotSeries> series, bool connect = true)
    {
        var plot = new Plot();
        // The baseline goes last so that it is drawn over any criterion's point at the same place.
        foreach (var s in series.OrderBy(s => s.IsBaseline)) Add(plot, s, connect);
        Label(plot, title, xLabel, yLabel);
        plot.Axes.Margins(left: Margin, right: Margin, bottom: Margin, top: Margin);
        plot.ShowLegend(Edge.Right);
        return plot;
    }

    /// <summary>Error bars first, so that the markers are drawn over them.</summary>
    private static void Add(Plot plot, PlotSeries s, bool connect)
    {
        var colour = SeriesColours.Of(s);
        if (s.YError is { } error) plot.Add.ErrorBar(s.X.ToArray(), s.Y.ToArray(), error.ToArray()).Color = colour;
        var scatter = plot.Add.Scatter(s.X.ToArray(), s.Y.ToArray(), colour);
        scatter.LegendText = s.Name;
        scatter.MarkerShape = s.IsBaseline ? MarkerShape.FilledDiamond : MarkerShape.FilledCircle;
        scatter.MarkerSize = s.IsBaseline ? 14 : 8;
        if (!connect) scatter.LineWidth = 0;
    }

    /// <summary>A square matrix as a colour map (e.g. the cosine distances between a layer's filters).</summary>
    public static void Heatmap(string path, string title, double[,] values, string colourLabel)
    {
        var plot = new Plot();
        var map = plot.Add.Heatmap(values);
        map.FlipVertically = true;
        plot.Add.ColorBar(map).Label = colourLabel;
        Label(plot, title, "filter", "filter");
        Save(plot, path);
    }

    public static void Histogram(string path, string title, string xLabel, IReadOnlyList<double> values, string criterion, int bins = 20) =>
        Save(HistogramPlot(title, xLabel, values, criterion, bins), path);

    /// <summary>Counts of values in equal bins (e.g. each filter's distance to its closest neighbour), in the criterion's colour.</summary>
    public static Plot HistogramPlot(string title, string xLabel, IReadOnlyList<double> values, string criterion, int bins = 20)
    {
        var plot = new Plot();
        if (values.Count > 0)
        {
            var histogram = HistogramBins.Of(values, bins);
            var colour = SeriesColours.Of(criterion);
            plot.Add.Bars(histogram.Counts.Select((count, i) => new Bar
            {
                Position = histogram.Centre(i), Value = count, Size = histogram.Width, FillColor = colour, LineColor = Colors.White, LineWidth = 1,
            }).ToArray());
        }
        Label(plot, title, xLabel, "count");
        plot.Axes.Margins(left: Margin, right: Margin, bottom: 0, top: Margin);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        return plot;
    }

    private static void Label(Plot plot, string title, string xLabel, string yLabel)
    {
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
    }

    private static void Save(Plot plot, string path) =>
        AtomicFile.WriteAllBytes(path, plot.GetImageBytes(Width, Height, ImageFormat.Png));
}
