using AudioPrune.Common;
using System.Text.Json;
using AudioPrune.Graph;

namespace AudioPrune.Pruning.Planning;

/// <summary>
/// The pruned artifact: the source model's labels and metadata, the rebuilt graph and weights, and a "pruning"
/// metadata record saying what was cut from which network (the full decisions live in plan.json).
/// </summary>
internal static class PrunedModel
{
    public const string MetadataKey = "pruning";

    public sealed record Record(
        string Criterion, string SourceNetwork, string SourceFingerprint, string? SourceWeightsFingerprint,
        string? SourceProvenance, IReadOnlyDictionary<string, int[]> KeptFilters,
        ComplexitySummary Before, ComplexitySummary After);

    public static ModelArtifact Create(ModelArtifact source, PruningResult result)
    {
        var plan = result.Plan;
        var record = new Record(plan.Criterion, plan.Network, plan.Fingerprint, plan.WeightsFingerprint,
            source.Metadata.GetValueOrDefault(ModelArtifact.ProvenanceKey),
            plan.Layers.ToDictionary(l => l.Name, l => l.Kept), plan.Before, plan.After);
        var options = new JsonSerializerOptions(ReportJson.Options) { WriteIndented = false };
        return (source with { Graph = result.Graph, Weights = result.Weights.OrderedLike(result.Graph) })
            .WithMetadata(MetadataKey, JsonSerializer.Serialize(record, options));
    }
}
