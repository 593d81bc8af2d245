namespace AudioPrune.Reports;

/// <summary>One named line or point set of a chart.</summary>
internal sealed record PlotSeries(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y, IReadOnlyList<double>? YError = null);
