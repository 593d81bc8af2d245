using AudioPrune.Graph;

namespace AudioPrune.Pruning.Planning;

/// <summary>The plan and the rebuilt network it describes.</summary>
internal sealed record PruningResult(PruningPlan Plan, NetworkGraph Graph, WeightMap Weights);
