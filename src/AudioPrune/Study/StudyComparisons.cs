using System.Text.Json.Serialization;

namespace AudioPrune.Study;

/// <summary>Arm a against arm b (rows' configurations): the mean of a - b in test accuracy over paired runs, with its verdict.</summary>
internal sealed record Comparison(
    string A,
    string B,
    double MeanDifference,
    [property: JsonPropertyName("ci95"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] Interval? Ci95,
    int N,
    string Verdict);

/// <summary>
/// Pairs up a study's fine-tuned arms: every two at the same layer set and data fraction, and each with the
/// equal-schedule control at its fraction, compared over the runs they share (<see cref="RunKey"/>).
/// </summary>
internal static class StudyComparisons
{
    public static IReadOnlyList<Comparison> Of(IReadOnlyList<StudyRow> rows)
    {
        var arms = rows.Where(r => r.Kind != JobKinds.Baseline).OrderBy(r => r.Kind == JobKinds.Control).ToArray();
        var comparisons = new List<Comparison>();
        for (var i = 0; i < arms.Length; i++)
        for (var j = i + 1; j < arms.Length; j++)
        {
            if (Comparable(arms[i], arms[j]) && Compare(arms[i], arms[j]) is { } comparison) comparisons.Add(comparison);
        }
        return comparisons;
    }

    private static bool Comparable(StudyRow a, StudyRow b) =>
        a.Fraction == b.Fraction && (a.LayerSet == b.LayerSet || a.Kind == JobKinds.Control || b.Kind == JobKinds.Control);

    private static Comparison? Compare(StudyRow a, StudyRow b) =>
        PairedStatistics.Difference(a.RunAccuracies, b.RunAccuracies) is { } difference
            ? new Comparison(a.Configuration, b.Configuration, difference.Mean, difference.Ci95, difference.N, PairedStatistics.Verdict(difference))
            : null;
}
