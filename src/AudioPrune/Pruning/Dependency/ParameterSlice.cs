namespace AudioPrune.Pruning.Dependency;

/// <summary>Axis <paramref name="Axis"/> of <paramref name="Parameter"/> is indexed by the units of <paramref name="Tensor"/>.</summary>
internal sealed record ParameterSlice(string Tensor, string Parameter, int Axis);
