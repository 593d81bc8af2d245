using System.Globalization;
using AudioPrune.Common;

namespace AudioPrune.Training;

/// <summary>
/// What a resumed run may be told: the settings that define a run, each named by its command-line flag. A setting
/// the user gave must equal the run's own (a mismatch is refused, naming both values); the run keeps its own
/// settings, and <see cref="Resolve"/> lists the ones the user left out, which the run therefore supplies.
/// </summary>
internal static class ResumeSettings
{
    private static readonly (string Parameter, Func<TrainingOptions, object?> Value)[] Settings =
    [
        ("Seed", o => o.Seed),
        ("Epochs", o => o.Epochs),
        ("LearningRate", o => o.Optimizer.LearningRate),
        ("BatchSize", o => o.BatchSize),
        ("Optimizer", o => o.Optimizer.Kind.ToString().ToLowerInvariant()),
        ("Momentum", o => o.Optimizer.Momentum),
        ("WeightDecay", o => o.Optimizer.WeightDecay),
        ("Schedule", o => o.Schedule.Kind.ToString().ToLowerInvariant()),
        ("MixupAlpha", o => o.Augmentation.MixupAlpha),
        ("SpecAugment", o => o.Augmentation.UsesMasks),
        ("Patience", o => o.Patience?.ToString(CultureInfo.InvariantCulture) ?? "none"),
        ("Selection", o => o.Selection == SelectionMetric.ValidationLoss ? "loss" : "accuracy"),
        ("Fraction", o => o.DataFraction),
        ("Init", o => o.Init.ToString().ToLowerInvariant()),
        ("Threads", o => o.Threads?.ToString(CultureInfo.InvariantCulture) ?? "the core count"),
    ];

    /// <summary>The settings this class compares, by parameter name ("LearningRate").</summary>
    public static IEnumerable<string> Parameters => Settings.Select(s => s.Parameter);

    /// <summary>
    /// The run in <paramref name="runFolder"/> as it is to be resumed: its own options (run folder aside), after checking
    /// that each setting named in <paramref name="given"/> has the value <paramref name="requested"/> holds.
    /// </summary>
    public static ResumedRun Resolve(string runFolder, TrainingOptions requested, IReadOnlySet<string> given)
    {
        var state = Checkpoint.ReadState(Checkpoint.PathIn(runFolder));
        var stored = state.Options;
        foreach (var (parameter, value) in Settings.Where(s => given.Contains(s.Parameter)))
        {
            var (want, have) = (Show(value(requested)), Show(value(stored)));
            var token = $"{{@{parameter}}}";
            if (want != have)
                throw new UserInputException(
                    $"{runFolder}: {token} {want} differs from the run's own {have}; leave {token} out to resume with the run's settings, or start a new run folder");
        }
        var fromRun = Settings.Where(s => !given.Contains(s.Parameter)).Select(s => (s.Parameter, Show(s.Value(stored)))).ToArray();
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
internal sealed record ResumedRun(string RunFolder, TrainingOptions Options, string Network, IReadOnlyList<(string Parameter, string Value)> FromRun)
{
    /// <summary>Refuses a model that is not the run's network (checked by name before any data is read; in full when resuming).</summary>
    public void EnsureNetwork(Graph.NetworkGraph given)
    {
        if (!string.Equals(given.Name, Network, StringComparison.Ordinal))
            throw new UserInputException(
                $"{RunFolder}: the run trains '{Network}', not the model given ('{given.Name}'); resume with the model the run started from, or start a new run folder");
    }
}
