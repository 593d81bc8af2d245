using AudioPrune.Graph;

namespace AudioPrune.Training;

/// <summary>
/// Applies <see cref="AugmentationSettings"/> to a batch held as plain arrays, drawing everything from the
/// epoch's seeded generator (not torch's), so augmentation is identical across runs, threads and resumes.
/// </summary>
internal sealed class Augmenter(AugmentationSettings settings, Shape exampleShape)
{
    /// <summary>Masks each example in place; then mixes the batch with a shuffled copy of itself (mixup).</summary>
    public void Apply(float[] features, float[] targets, int count, int classes, Random random, float[]? teacher = null)
    {
        var size = (int)exampleShape.Elements;
        if (settings.UsesMasks)
        {
            for (var i = 0; i < count; i++) Mask(features.AsSpan(i * size, size), random);
        }
        if (settings.UsesMixup && count > 1) Mix(features, targets, count, classes, size, random, teacher);
    }

    private void Mask(Span<float> example, Random random)
    {
        var freqAxis = settings.FrequencyAxis;
        var timeAxis = 3 - freqAxis;
        for (var m = 0; m < settings.FrequencyMasks; m++) MaskBand(example, freqAxis, settings.FrequencyMaskWidth, random);
        for (var m = 0; m < settings.TimeMasks; m++) MaskBand(example, timeAxis, settings.TimeMaskWidth, random);
    }

    /// <summary>Zeros a band of random width in [0, maxWidth] at a random position along a [C, H, W] axis.</summary>
    private void MaskBand(Span<float> example, int axis, int maxWidth, Random random)
    {
        int channels = exampleShape[0], height = exampleShape[1], width = exampleShape[2];
        var length = axis == 1 ? height : width;
        var band = random.Next(Math.Min(maxWidth, length) + 1);
        var start = random.Next(length - band + 1);
        for (var c = 0; c < channels; c++)
        {
            for (var h = 0; h < height; h++)
            {
                var row = example.Slice((c * height + h) * width, width);
                if (axis == 1)
                {
                    if (h >= start && h < start + band) row.Clear();
                }
                else
                {
                    row.Slice(start, band).Clear();
                }
            }
        }
    }

    /// <summary>Mixes pairs of examples with one lambda: features, label targets and, when given, the teacher's targets alike.</summary>
    private void Mix(float[] features, float[] targets, int count, int classes, int size, Random random, float[]? teacher)
    {
        var lambda = (float)Beta(settings.MixupAlpha, random);
        var partner = Enumerable.Range(0, count).ToArray();
        random.Shuffle(partner);
        Blend(features, size, count, partner, lambda);
        Blend(targets, classes, count, partner, lambda);
        if (teacher is not null) Blend(teacher, classes, count, partner, lambda);
    }

    /// <summary>row i = lambda row i + (1 - lambda) row partner[i], for the first <paramref name="count"/> rows of <paramref name="width"/> values.</summary>
    private static void Blend(float[] rows, int width, int count, int[] partner, float lambda)
    {
        var original = rows.AsSpan(0, count * width).ToArray();
        for (var i = 0; i < count; i++)
        {
            var j = partner[i];
            for (var k = 0; k < width; k++)
                rows[i * width + k] = lambda * original[i * width + k] + (1 - lambda) * original[j * width + k];
        }
    }

    /// <summary>Beta(a, a) as X / (X + Y) with X, Y ~ Gamma(a).</summary>
    private static double Beta(double alpha, Random random)
    {
        var x = Gamma(alpha, random);
        var y = Gamma(alpha, random);
        return x + y > 0 ? x / (x + y) : 0.5;
    }

    /// <summary>Marsaglia-Tsang gamma sampler (shape a, scale 1); shapes below 1 use the a+1 boost.</summary>
    private static double Gamma(double shape, Random random)
    {
        if (shape < 1) return Gamma(shape + 1, random) * Math.Pow(1 - random.NextDouble(), 1 / shape);
        var d = shape - 1.0 / 3;
        var c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double x, v;
            do
            {
                x = Normal(random);
                v = 1 + c * x;
            } while (v <= 0);
            v = v * v * v;
            var u = 1 - random.NextDouble();
            if (Math.Log(u) < 0.5 * x * x + d - d * v + d * Math.Log(v)) return d * v;
        }
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
