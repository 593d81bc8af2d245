namespace AudioPrune.Cli;

/// <summary>
/// The one place that knows which flag sets which library parameter: "RoundTo" is --round-to, by the kebab-case rule,
/// except for the few flags with shorter names. Library messages name parameters; the command line says flags.
/// </summary>
internal static class ParameterFlags
{
    private static readonly Dictionary<string, string> Irregular = new(StringComparer.Ordinal)
    {
        ["LearningRate"] = "--lr",
        ["MixupAlpha"] = "--mixup",
        ["Selection"] = "--select",
        ["InputShape"] = "--input",
        ["MatchPlan"] = "--match-plan",
        ["PlanIn"] = "--plan-in",
        ["DistillationWeight"] = "--kd-weight",
        ["Temperature"] = "--kd-temperature",
    };

    private static readonly Dictionary<string, string> ByFlag = Irregular.ToDictionary(e => e.Value, e => e.Key, StringComparer.Ordinal);

    /// <summary>The flag of a library parameter: "RoundTo" -> "--round-to".</summary>
    public static string Flag(string parameter) =>
        Irregular.TryGetValue(parameter, out var flag)
            ? flag
            : "--" + string.Concat(parameter.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "-" : "") + char.ToLowerInvariant(c) : c.ToString()));

    /// <summary>The library parameter a flag sets: "--round-to" -> "RoundTo".</summary>
    public static string Parameter(string flag) =>
        ByFlag.TryGetValue(flag, out var parameter)
            ? parameter
            : string.Concat(flag.TrimStart('-').Split('-').Select(w => w.Length == 0 ? w : char.ToUpperInvariant(w[0]) + w[1..]));
}
