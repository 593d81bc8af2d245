using AudioPrune.Graph;

namespace AudioPrune.Pruning.Planning;

/// <summary>The plan and the rebuilt network it describes.</summary>
public sealed record PruningResult(PruningPlan Plan, NetworkGraph Graph, WeightMap Weights);
