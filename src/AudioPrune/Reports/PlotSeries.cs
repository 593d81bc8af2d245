namespace AudioPrune.Reports;

/// <summary>
/// One named line or point set of a chart. <see cref="Criterion"/> picks its colour (<see cref="SeriesColours"/>; the
/// name when null), so that a criterion keeps its colour in every chart; <see cref="IsBaseline"/> marks the unpruned
/// network, drawn apart and on top so that it is never hidden.
/// </summary>
internal sealed record PlotSeries(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y, IReadOnlyList<double>? YError = null,
    string? Criterion = null, bool IsBaseline = false);
