namespace AudioPrune.Tests.Audio;

/// <summary>Deterministic test signals: tones, chirps, noise and mixtures of them.</summary>
internal static class TestSignals
{
    public static float[] Tone(int rate, double seconds, double hz, double amplitude = 0.5) =>
        Enumerable.Range(0, (int)(rate * seconds)).Select(i => (float)(amplitude * Math.Sin(2 * Math.PI * hz * i / rate))).ToArray();

    /// <summary>Linear chirp from f0 to f1 over the signal.</summary>
    public static float[] Chirp(int rate, double seconds, double f0, double f1, double amplitude = 0.5)
    {
        var n = (int)(rate * seconds);
        return Enumerable.Range(0, n).Select(i =>
        {
            var t = (double)i / rate;
            return (float)(amplitude * Math.Sin(2 * Math.PI * (f0 * t + (f1 - f0) * t * t / (2 * seconds))));
        }).ToArray();
    }

    public static float[] Noise(int rate, double seconds, int seed, double amplitude = 0.1)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, (int)(rate * seconds)).Select(_ => (float)(amplitude * (2 * random.NextDouble() - 1))).ToArray();
    }

    public static float[] Mix(params float[][] parts)
    {
        var n = parts.Max(p => p.Length);
        var result = new float[n];
        foreach (var p in parts)
            for (var i = 0; i < p.Length; i++) result[i] += p[i];
        return result;
    }
}
