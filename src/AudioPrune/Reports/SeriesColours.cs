using AudioPrune.Pruning.Planning;
using ScottPlot;

namespace AudioPrune.Reports;

/// <summary>
/// A criterion's colour comes from its place in the catalogue, not in the chart, so that it is the same in every chart
/// of a report whichever criteria each one shows.
/// </summary>
internal static class SeriesColours
{
    /// <summary>Black, which no criterion gets, so that the unpruned network stands apart.</summary>
    public static readonly Color Baseline = Colors.Black;

    private static readonly IPalette Palette = new ScottPlot.Palettes.Category10();

    public static Color Of(PlotSeries series) => series.IsBaseline ? Baseline : Of(series.Criterion ?? series.Name);

    /// <summary>What marks a distilled arm's key ("similarity distilled"): its criterion's colour, darker.</summary>
    public const string DistilledSuffix = " distilled";

    /// <summary>
    /// A catalogue criterion's own colour; a distilled arm its criterion's, darker; any other key one of the colours
    /// left over, fixed by its characters.
    /// </summary>
    public static Color Of(string key)
    {
        if (key.EndsWith(DistilledSuffix, StringComparison.Ordinal)) return Of(key[..^DistilledSuffix.Length]).Darken(0.5);
        var index = Array.IndexOf(CriterionCatalog.Names, key);
        if (index >= 0) return Palette.GetColor(index);
        var spare = Palette.Colors.Length - CriterionCatalog.Names.Length;
        return Palette.GetColor(CriterionCatalog.Names.Length + (int)(StableHash(key) % (uint)spare));
    }

    /// <summary>FNV-1a: string.GetHashCode changes from one process to the next, and a report is rebuilt by another.</summary>
    private static uint StableHash(string key)
    {
        var hash = 2166136261;
        foreach (var c in key) hash = (hash ^ c) * 16777619;
        return hash;
    }
}
