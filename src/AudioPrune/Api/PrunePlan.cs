using AudioPrune.Pruning.Planning;

namespace AudioPrune;

/// <summary>
/// The decision record (plan.json, docs/formats.md): the network it belongs to, the criterion, each pruned layer's
/// kept filters, and the complexity before and after. A plan is refused by a network with another fingerprint.
/// </summary>
public sealed class PrunePlan
{
    internal PrunePlan(PruningPlan plan, string? source = null) => (Plan, Source) = (plan, source);

    internal PruningPlan Plan { get; }

    /// <summary>The file the plan was read from, for messages (null when made in this process).</summary>
    internal string? Source { get; }

    /// <summary>Reads a plan.json file.</summary>
    public static PrunePlan Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return new PrunePlan(PlanFile.Read(path), path);
    }

    /// <summary>Writes the plan as JSON (atomically).</summary>
    public void Save(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        PlanFile.Write(path, Plan);
    }

    /// <summary>The criterion's name (similarity, l1, ... or a custom criterion's <see cref="IFilterImportance.Name"/>).</summary>
    public string Criterion => Plan.Criterion;

    /// <summary>The source network's name.</summary>
    public string Network => Plan.Network;

    /// <summary>The pruned layers (channel groups), in network order.</summary>
    public IReadOnlyList<PrunedLayer> Layers => Plan.Layers.Select(l => new PrunedLayer(l.Name, l.Filters, l.Kept)).ToArray();

    /// <summary>The source network's complexity.</summary>
    public Complexity Before => Complexity.Of(Plan.Before);

    /// <summary>The pruned network's complexity.</summary>
    public Complexity After => Complexity.Of(Plan.After);

    public override string ToString() => Source ?? $"{Criterion} plan of {Network}";
}

/// <summary>One pruned layer (or channel group): its filter count before pruning and the filters kept, ascending.</summary>
public sealed record PrunedLayer(string Name, int Filters, IReadOnlyList<int> Kept);
