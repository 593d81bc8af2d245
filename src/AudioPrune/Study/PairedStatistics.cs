using System.Text.Json;
using System.Text.Json.Serialization;

namespace AudioPrune.Study;

/// <summary>A closed interval, written in JSON as [low, high].</summary>
[JsonConverter(typeof(IntervalJsonConverter))]
internal readonly record struct Interval(double Low, double High)
{
    public bool Contains(double value) => Low <= value && value <= High;
}

/// <summary>The mean of some values with their sample standard deviation, count and 95 % Student t interval of the mean.</summary>
internal sealed record MeanInterval(
    double Mean,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] double? Sd,
    int N,
    [property: JsonPropertyName("ci95"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] Interval? Ci95);

/// <summary>What pairs the runs of two arms: the same cross-validation fold (null while studies have none) and the same seed.</summary>
internal readonly record struct RunKey(int? Fold, int Seed);

/// <summary>Means with their t intervals, and paired differences between two sets of runs matched by <see cref="RunKey"/>.</summary>
internal static class PairedStatistics
{
    /// <summary>Mean, sample sd, count and 95 % t interval of the values; one value has no sd or interval, none gives null.</summary>
    public static MeanInterval? Summarize(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0) return null;
        var mean = values.Average();
        if (values.Count == 1) return new MeanInterval(mean, null, 1, null);
        var sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
        var half = StudentT.Quantile(0.975, values.Count - 1) * sd / Math.Sqrt(values.Count);
        return new MeanInterval(mean, sd, values.Count, new Interval(mean - half, mean + half));
    }

    /// <summary>The differences a - b over the runs both sides have, summarised as a paired t interval (null when none pair).</summary>
    public static MeanInterval? Difference(IReadOnlyDictionary<RunKey, double> a, IReadOnlyDictionary<RunKey, double> b) =>
        Summarize(a.Where(run => b.ContainsKey(run.Key)).OrderBy(run => run.Key.Fold).ThenBy(run => run.Key.Seed)
            .Select(run => run.Value - b[run.Key]).ToArray());

    /// <summary>"better" when the difference's interval lies above zero, "worse" below, otherwise no detectable difference.</summary>
    public static string Verdict(MeanInterval difference) => difference.Ci95 switch
    {
        { Low: > 0 } => "better",
        { High: < 0 } => "worse",
        _ => $"no detectable difference at n = {difference.N}",
    };
}

internal sealed class IntervalJsonConverter : JsonConverter<Interval>
{
    public override Interval Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var values = JsonSerializer.Deserialize<double[]>(ref reader, options);
        if (values is not { Length: 2 }) throw new JsonException("expected an interval [low, high]");
        return new Interval(values[0], values[1]);
    }

    public override void Write(Utf8JsonWriter writer, Interval value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        writer.WriteNumberValue(value.Low);
        writer.WriteNumberValue(value.High);
        writer.WriteEndArray();
    }
}
