using System.Globalization;
using AudioPrune.Common;

namespace AudioPrune.Training;

/// <summary>
/// What a resumed run may be told: the settings that define a run, each named by its command-line flag. A setting
/// the user gave must equal the run's own (a mismatch is refused, naming both values); the run keeps its own
/// settings, and <see cref="Resolve"/> lists the ones the user left out, which the run therefore supplies.
/// </summary>
public static class ResumeSettings
{
    private static readonly (string Flag, Func<TrainingOptions, object?> Value)[] Settings =
    [
        ("--seed", o => o.Seed),
        ("--epochs", o => o.Epochs),
        ("--lr", o => o.Optimizer.LearningRate),
        ("--batch-size", o => o.BatchSize),
        ("--optimizer", o => o.Optimizer.Kind.ToString().ToLowerInvariant()),
        ("--momentum", o => o.Optimizer.Momentum),
        ("--weight-decay", o => o.Optimizer.WeightDecay),
        ("--schedule", o => o.Schedule.Kind.ToString().ToLowerInvariant()),
        ("--mixup", o => o.Augmentation.MixupAlpha),
        ("--spec-augment", o => o.Augmentation.UsesMasks),
        ("--patience", o => o.Patience?.ToString(CultureInfo.InvariantCulture) ?? "none"),
        ("--select", o => o.Selection == SelectionMetric.ValidationLoss ? "loss" : "accuracy"),
        ("--fraction", o => o.DataFraction),
        ("--init", o => o.Init.ToString().ToLowerInvariant()),
        ("--threads", o => o.Threads?.ToString(CultureInfo.InvariantCulture) ?? "the core count"),
    ];

    /// <summary>The flags this class compares.</summary>
    public static IEnumerable<string> Flags => Settings.Select(s => s.Flag);

    /// <summary>
    /// The run in <paramref name="runFolder"/> as it is to be resumed: its own options (run folder aside), after checking
    /// that each setting whose flag is in <paramref name="given"/> has the value <paramref name="requested"/> holds.
    /// </summary>
    public static ResumedRun Resolve(string runFolder, TrainingOptions requested, IReadOnlySet<string> given)
    {
        var state = Checkpoint.ReadState(Checkpoint.PathIn(runFolder));
        var stored = state.Options;
        foreach (var (flag, value) in Settings.Where(s => given.Contains(s.Flag)))
        {
            var (want, have) = (Show(value(requested)), Show(value(stored)));
            if (want != have)
                throw new UserInputException(
                    $"{runFolder}: {flag} {want} differs from the run's own {have}; leave {flag} out to resume with the run's settings, or start a new run folder");
        }
        var fromRun = string.Join(", ", Settings.Where(s => !given.Contains(s.Flag)).Select(s => $"{s.Flag[2..]} {Show(s.Value(stored))}"));
        var network = Graph.GraphJson.Parse(state.GraphJson, Checkpoint.PathIn(runFolder)).Name;
        return new ResumedRun(runFolder, stored with { RunFolder = requested.RunFolder, EvaluationBatchSize = requested.EvaluationBatchSize }, network, fromRun);
    }

    private static string Show(object? value) => value switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "on" : "off",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "none",
    };
}

/// <summary>
/// A run about to be resumed: the options it continues with, the name of the network it trains, and the settings
/// the user did not give, which therefore come from the run ("seed 3, epochs 2, ...").
/// </summary>
public sealed record ResumedRun(string RunFolder, TrainingOptions Options, string Network, string FromRun)
{
    /// <summary>Refuses a model that is not the run's network (checked by name before any data is read; in full when resuming).</summary>
    public void EnsureNetwork(Graph.NetworkGraph given)
    {
        if (!string.Equals(given.Name, Network, StringComparison.Ordinal))
            throw new UserInputException(
                $"{RunFolder}: the run trains '{Network}', not the model given ('{given.Name}'); resume with the model the run started from, or start a new run folder");
    }
}
