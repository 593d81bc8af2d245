namespace AudioPrune.Reports;

/// <summary>One named line or point set of a chart.</summary>
public sealed record PlotSeries(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y, IReadOnlyList<double>? YError = null);
