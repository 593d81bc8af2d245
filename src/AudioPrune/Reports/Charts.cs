using AudioPrune.Common;
using ScottPlot;

namespace AudioPrune.Reports;

/// <summary>
/// The report's pictures as PNG files (headless ScottPlot), each written atomically.
/// Kept to three shapes of chart: series of points, a heatmap, and a histogram.
/// </summary>
internal static class Charts
{
    private const int Width = 800;
    private const int Height = 520;

    /// <summary>Points per series, joined by lines when <paramref name="connect"/> (e.g. accuracy vs MACs per criterion).</summary>
    public static void Series(string path, string title, string xLabel, string yLabel, IEnumerable<PlotSeries> series, bool connect = true)
    {
        var plot = new Plot();
        foreach (var s in series)
        {
            var scatter = plot.Add.Scatter(s.X.ToArray(), s.Y.ToArray());
            scatter.LegendText = s.Name;
            scatter.MarkerSize = 8;
            if (!connect) scatter.LineWidth = 0;
            if (s.YError is { } error)
            {
                var bars = plot.Add.ErrorBar(s.X.ToArray(), s.Y.ToArray(), error.ToArray());
                bars.Color = scatter.Color;
            }
        }
        Label(plot, title, xLabel, yLabel);
        plot.ShowLegend();
        Save(plot, path);
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

    /// <summary>Counts of values in equal bins (e.g. each filter's distance to its closest neighbour).</summary>
    public static void Histogram(string path, string title, string xLabel, IReadOnlyList<double> values, int bins = 20)
    {
        var plot = new Plot();
        if (values.Count > 0)
        {
            var low = values.Min();
            var high = values.Max();
            if (high <= low) high = low + 1e-9;
            var histogram = ScottPlot.Statistics.Histogram.WithBinCount(bins, low, high);
            histogram.AddRange(values);
            plot.Add.Bars(histogram.Bins, histogram.Counts);
        }
        Label(plot, title, xLabel, "count");
        Save(plot, path);
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
