using System.Text.Json;
using AudioPrune.Common;

namespace AudioPrune.Audio;

/// <summary>
/// Per-mel-band standardisation (x - mean) / std with statistics from the training split, as the DCASE
/// baseline does. Knows the example layout so it can find the band axis. Serialises to JSON for the model
/// artifact (<see cref="Graph.ModelArtifact.NormalizationKey"/>).
/// </summary>
internal sealed class FeatureNormalization
{
    // Single-precision copies for the hot path (every example copied out for training is normalised).
    private readonly float[] meanSingle;
    private readonly float[] inverseStd;

    public FeatureNormalization(FeatureLayout layout, int bands, int frames, IReadOnlyList<double> mean, IReadOnlyList<double> std)
    {
        Layout = layout;
        Bands = bands;
        Frames = frames;
        Mean = mean.ToArray();
        Std = std.ToArray();
        meanSingle = mean.Select(m => (float)m).ToArray();
        inverseStd = std.Select(x => (float)(1.0 / x)).ToArray();
    }

    public FeatureLayout Layout { get; }
    public int Bands { get; }
    public int Frames { get; }
    public IReadOnlyList<double> Mean { get; }
    public IReadOnlyList<double> Std { get; }

    /// <summary>Smallest standard deviation used, so that a constant band does not divide by zero.</summary>
    public const double MinStd = 1e-5;

    /// <summary>Statistics over every value of every example (examples in <paramref name="layout"/>).</summary>
    public static FeatureNormalization Compute(IEnumerable<float[]> examples, FeatureLayout layout, int bands, int frames)
    {
        var sum = new double[bands];
        var squares = new double[bands];
        long count = 0;
        foreach (var example in examples)
        {
            for (var b = 0; b < bands; b++)
                for (var f = 0; f < frames; f++)
                {
                    double v = example[Index(layout, bands, frames, b, f)];
                    sum[b] += v;
                    squares[b] += v * v;
                }
            count += frames;
        }
        if (count == 0) throw new UserInputException("cannot compute feature normalisation: the training split has no examples");
        var mean = sum.Select(s => s / count).ToArray();
        var std = squares.Select((q, b) => Math.Max(MinStd, Math.Sqrt(Math.Max(0, q / count - mean[b] * mean[b])))).ToArray();
        return new FeatureNormalization(layout, bands, frames, mean, std);
    }

    /// <summary>Identity statistics (mean 0, std 1): features pass through unchanged.</summary>
    public static FeatureNormalization Identity(FeatureLayout layout, int bands, int frames) =>
        new(layout, bands, frames, new double[bands], Enumerable.Repeat(1.0, bands).ToArray());

    public static FeatureNormalization For(FrontEndSettings settings, IEnumerable<float[]> examples) =>
        Compute(examples, settings.Layout, settings.MelBands, settings.ExampleFrames);

    public void Apply(Span<float> example)
    {
        if (example.Length != Bands * Frames) throw new ArgumentException($"example has {example.Length} values, normalisation expects {Bands}x{Frames}");
        if (Layout == FeatureLayout.MelByFrames)
        {
            for (var b = 0; b < Bands; b++)
            {
                float m = meanSingle[b], inv = inverseStd[b];
                foreach (ref var v in example.Slice(b * Frames, Frames)) v = (v - m) * inv;
            }
            return;
        }
        for (var f = 0; f < Frames; f++)
        {
            var row = example.Slice(f * Bands, Bands);
            for (var b = 0; b < Bands; b++) row[b] = (row[b] - meanSingle[b]) * inverseStd[b];
        }
    }

    public string ToJson() => JsonSerializer.Serialize(this, ReportJson.Options);

    public static FeatureNormalization FromJson(string json)
    {
        try
        {
            var n = JsonSerializer.Deserialize<FeatureNormalization>(json, ReportJson.Options) ?? throw new UserInputException("feature normalisation: empty JSON");
            if (n.Mean.Count != n.Bands || n.Std.Count != n.Bands || n.Std.Any(s => !(s > 0)))
                throw new UserInputException($"feature normalisation: expected {n.Bands} means and positive standard deviations");
            return n;
        }
        catch (JsonException e)
        {
            throw new UserInputException($"feature normalisation: invalid JSON ({e.Message})", e);
        }
    }

    private static int Index(FeatureLayout layout, int bands, int frames, int band, int frame) =>
        layout == FeatureLayout.MelByFrames ? band * frames + frame : frame * bands + band;
}
