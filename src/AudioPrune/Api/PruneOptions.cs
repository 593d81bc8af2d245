using AudioPrune.Common;

namespace AudioPrune;

/// <summary>Which layers to prune and how kept counts are rounded.</summary>
public sealed record PruneOptions
{
    /// <summary>
    /// Channel groups to prune, by group or member names, conv indices ("0", "3") or globs ("layer1.*"); null or empty:
    /// every prunable group (<see cref="AudioPruneModel.PrunableLayers"/>).
    /// </summary>
    public IReadOnlyList<string>? Layers { get; init; }

    /// <summary>Round kept counts up to a multiple of this (hardware-friendly widths), at most the layer width.</summary>
    public int? RoundTo { get; init; }

    /// <summary>Store the full cosine-distance matrices of the similarity criteria in the plan.</summary>
    public bool IncludeDistances { get; init; }
}

/// <summary>A pruned model and the plan that made it.</summary>
public sealed class PruneResult
{
    internal PruneResult(AudioPruneModel model, PrunePlan plan) => (Model, Plan) = (model, plan);

    /// <summary>The smaller network with the kept filters' weights.</summary>
    public AudioPruneModel Model { get; }

    /// <summary>Which filters of which layers were kept, and the complexity before and after.</summary>
    public PrunePlan Plan { get; }

    /// <summary>Writes the pruned model and, when <paramref name="planPath"/> is given, the plan: both or neither.</summary>
    public void Save(string modelPath, string? planPath = null)
    {
        ArgumentNullException.ThrowIfNull(modelPath);
        using var outputs = OutputGroup.Begin();
        if (planPath is not null) Plan.Save(planPath);
        Model.Save(modelPath);
        outputs.Commit();
    }
}
