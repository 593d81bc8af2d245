namespace AudioPrune.Audio;

/// <summary>Signal building blocks for the synthetic scenes: coloured noise, hum, events and simple filters.</summary>
internal static class SynthesisKit
{
    public static double Gaussian(Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());

    /// <summary>Noise with a spectral slope: 0 white, 1 pink (Kellet's filter), 2 brown (leaky integrator).</summary>
    public static void AddColouredNoise(float[] x, Random r, int colour, double amplitude)
    {
        double b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0, b6 = 0, brown = 0;
        for (var i = 0; i < x.Length; i++)
        {
            var w = Gaussian(r);
            double v;
            switch (colour)
            {
                case 0: v = w * 0.3; break;
                case 1:
                    b0 = 0.99886 * b0 + w * 0.0555179; b1 = 0.99332 * b1 + w * 0.0750759; b2 = 0.96900 * b2 + w * 0.1538520;
                    b3 = 0.86650 * b3 + w * 0.3104856; b4 = 0.55000 * b4 + w * 0.5329522; b5 = -0.7616 * b5 - w * 0.0168980;
                    v = (b0 + b1 + b2 + b3 + b4 + b5 + b6 + w * 0.5362) * 0.06;
                    b6 = w * 0.115926;
                    break;
                default: brown = 0.995 * brown + w * 0.05; v = brown * 0.6; break;
            }
            x[i] += (float)(amplitude * v);
        }
    }

    /// <summary>Mains hum: a fundamental and decaying odd/even harmonics.</summary>
    public static void AddHum(float[] x, int rate, double hz, double amplitude, double phase)
    {
        for (var i = 0; i < x.Length; i++)
        {
            var t = (double)i / rate;
            var v = Math.Sin(2 * Math.PI * hz * t + phase) + 0.5 * Math.Sin(4 * Math.PI * hz * t) + 0.25 * Math.Sin(6 * Math.PI * hz * t + 2 * phase);
            x[i] += (float)(amplitude * v / 1.75);
        }
    }

    /// <summary>Adds <paramref name="event"/> at <paramref name="start"/> (clipped to the buffer).</summary>
    public static void Place(float[] x, float[] @event, int start, double gain)
    {
        for (var i = 0; i < @event.Length && start + i < x.Length; i++)
            if (start + i >= 0) x[start + i] += (float)(gain * @event[i]);
    }

    /// <summary>Raised-cosine attack and release so events do not click (unless they are clicks).</summary>
    public static void Fade(float[] e, int fade)
    {
        fade = Math.Min(fade, e.Length / 2);
        for (var i = 0; i < fade; i++)
        {
            var g = (float)(0.5 - 0.5 * Math.Cos(Math.PI * i / fade));
            e[i] *= g;
            e[e.Length - 1 - i] *= g;
        }
    }

    public static double Rms(ReadOnlySpan<float> x)
    {
        double sum = 0;
        foreach (var v in x) sum += (double)v * v;
        return Math.Sqrt(sum / Math.Max(1, x.Length));
    }

    /// <summary>RBJ biquad (direct form I) applied in place.</summary>
    public static void Biquad(float[] x, double b0, double b1, double b2, double a0, double a1, double a2)
    {
        double x1 = 0, x2 = 0, y1 = 0, y2 = 0;
        for (var i = 0; i < x.Length; i++)
        {
            double x0 = x[i];
            var y0 = (b0 * x0 + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2) / a0;
            x2 = x1; x1 = x0; y2 = y1; y1 = y0;
            x[i] = (float)y0;
        }
    }

    public static void LowPass(float[] x, int rate, double hz, double q = 0.707)
    {
        var w = 2 * Math.PI * hz / rate;
        var alpha = Math.Sin(w) / (2 * q);
        var c = Math.Cos(w);
        Biquad(x, (1 - c) / 2, 1 - c, (1 - c) / 2, 1 + alpha, -2 * c, 1 - alpha);
    }

    public static void HighPass(float[] x, int rate, double hz, double q = 0.707)
    {
        var w = 2 * Math.PI * hz / rate;
        var alpha = Math.Sin(w) / (2 * q);
        var c = Math.Cos(w);
        Biquad(x, (1 + c) / 2, -(1 + c), (1 + c) / 2, 1 + alpha, -2 * c, 1 - alpha);
    }

    public static void Peak(float[] x, int rate, double hz, double gainDb, double q = 1.0)
    {
        var a = Math.Pow(10, gainDb / 40);
        var w = 2 * Math.PI * hz / rate;
        var alpha = Math.Sin(w) / (2 * q);
        var c = Math.Cos(w);
        Biquad(x, 1 + alpha * a, -2 * c, 1 - alpha * a, 1 + alpha / a, -2 * c, 1 - alpha / a);
    }
}
