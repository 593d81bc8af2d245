using System.Text.Json;
using AudioPrune.Common;
using AudioPrune.Graph;

namespace AudioPrune.Pruning.Planning;

/// <summary>
/// Reads and writes plan.json (snake_case, written atomically). A plan read is at most
/// <see cref="InputLimits.MaxPlanBytes"/> bytes and <see cref="InputLimits.MaxNestingDepth"/> deep, and passes
/// <see cref="PlanValidator.EnsureWellFormed"/> before any model is loaded (the model checks follow in the planner).
/// </summary>
internal static class PlanFile
{
    private static readonly JsonSerializerOptions ReadOptions = new(ReportJson.Options) { MaxDepth = InputLimits.MaxNestingDepth };

    public static void Write(string path, PruningPlan plan) =>
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(plan, ReportJson.Options));

    public static PruningPlan Read(string path)
    {
        var text = InputFile.ReadAllText(path, InputLimits.MaxPlanBytes, "plan file");
        PruningPlan? plan;
        try
        {
            plan = JsonSerializer.Deserialize<PruningPlan>(text, ReadOptions);
        }
        catch (JsonException e)
        {
            throw UserInputException.InFile(path, $"not a pruning plan: {e.Message.ReplaceLineEndings(" ")}");
        }
        if (plan is null || !PruningPlan.ReadableFormats.Contains(plan.Format) || plan.Layers is null)
            throw UserInputException.InFile(path, $"not a pruning plan (format '{plan?.Format}', expected {string.Join(" or ", PruningPlan.ReadableFormats.Select(f => $"'{f}'"))})");
        PlanValidator.EnsureWellFormed(plan.Layers, path);
        if (plan.Format == PruningPlan.Format1 && plan.Layers.FirstOrDefault(l => l.Group is not null) is { } grouped)
            throw UserInputException.InFile(path, $"layer '{grouped.Name}' records a channel group, which format '{PruningPlan.Format1}' has not; the plan is damaged");
        return plan;
    }

    /// <summary>Refuses a plan made for another architecture.</summary>
    public static void EnsureFor(PruningPlan plan, NetworkGraph graph, string path)
    {
        var fingerprint = NetworkFingerprint.Of(graph);
        if (plan.Fingerprint != fingerprint)
            throw UserInputException.InFile(path, $"plan is for network '{plan.Network}' (fingerprint {plan.Fingerprint}), not for this '{graph.Name}' (fingerprint {fingerprint}); make a plan for this model");
    }
}
