using System.Text.Json;
using AudioPrune.Common;
using AudioPrune.Graph;
using AudioPrune.Reports;

namespace AudioPrune.Pruning.Planning;

/// <summary>Reads and writes plan.json (snake_case, written atomically).</summary>
public static class PlanFile
{
    public static void Write(string path, PruningPlan plan) =>
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(plan, ReportJson.Options));

    public static PruningPlan Read(string path)
    {
        if (!File.Exists(path)) throw UserInputException.InFile(path, "plan file not found");
        PruningPlan? plan;
        try
        {
            plan = JsonSerializer.Deserialize<PruningPlan>(File.ReadAllText(path), ReportJson.Options);
        }
        catch (JsonException e)
        {
            throw UserInputException.InFile(path, $"not a pruning plan: {e.Message}");
        }
        if (plan is null || plan.Format != PruningPlan.CurrentFormat || plan.Layers is null)
            throw UserInputException.InFile(path, $"not a pruning plan (format '{plan?.Format}', expected '{PruningPlan.CurrentFormat}')");
        CheckLayers(plan, path);
        return plan;
    }

    /// <summary>JSON null or a missing field deserialises to null even where the record says non-null: refuse such layers here.</summary>
    private static void CheckLayers(PruningPlan plan, string path)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < plan.Layers.Count; i++)
        {
            var layer = plan.Layers[i];
            if (layer?.Name is null || layer.Kept is null)
                throw UserInputException.InFile(path, $"layers[{i}] has no name or no kept filters; the plan is damaged");
            if (!names.Add(layer.Name)) throw UserInputException.InFile(path, $"layer '{layer.Name}' appears twice; the plan is damaged");
        }
    }

    /// <summary>Refuses a plan made for another architecture.</summary>
    public static void EnsureFor(PruningPlan plan, NetworkGraph graph, string path)
    {
        var fingerprint = NetworkFingerprint.Of(graph);
        if (plan.Fingerprint != fingerprint)
            throw UserInputException.InFile(path, $"plan is for network '{plan.Network}' (fingerprint {plan.Fingerprint}), not for this '{graph.Name}' (fingerprint {fingerprint}); make a plan for this model");
    }
}
