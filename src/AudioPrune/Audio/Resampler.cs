namespace AudioPrune.Audio;

/// <summary>
/// Band-limited sample-rate conversion by windowed-sinc interpolation (Kaiser window). For a rational ratio
/// L/M with a small L (all common audio rates: 48000->44100 is 147/160) the filter is precomputed as an
/// L-phase polyphase bank; other ratios evaluate the same kernel per output sample. When downsampling, the
/// cut-off follows the new Nyquist frequency so that content above it is removed rather than aliased.
/// </summary>
internal static class Resampler
{
    /// <summary>Zero crossings of the sinc on each side (filter length and steepness).</summary>
    private const int ZeroCrossings = 24;

    /// <summary>Pass band edge as a fraction of the lower Nyquist frequency.</summary>
    private const double Rolloff = 0.945;

    /// <summary>Kaiser beta: about 90 dB stop-band attenuation.</summary>
    private const double KaiserBeta = 9.0;

    private const int MaxPolyphases = 4096;

    /// <summary>Largest ratio between the two rates (either way): the filter grows with it when downsampling.</summary>
    public const int MaxRatio = 1024;

    /// <summary>Largest precomputed polyphase bank, in coefficients; a larger one is evaluated per output sample instead.</summary>
    private const long MaxBankCoefficients = 1L << 22;

    public static float[] Resample(ReadOnlySpan<float> input, int fromRate, int toRate)
    {
        var plan = Plan.Of(fromRate, toRate);
        if (fromRate == toRate) return input.ToArray();
        var outputLength = (input.Length * plan.Up + plan.Down - 1) / plan.Down;
        if (outputLength > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(input), $"resampling {input.Length} samples from {fromRate} to {toRate} Hz would give {outputLength} samples, more than an array holds");
        var output = new float[outputLength];
        if (plan.Up <= MaxPolyphases && plan.Up * 2 * plan.K <= MaxBankCoefficients) Polyphase(input, output, (int)plan.Up, plan.Down, plan.K, plan.Cutoff, plan.HalfWidth);
        else Direct(input, output, (double)fromRate / toRate, plan.K, plan.Cutoff, plan.HalfWidth);
        return output;
    }

    /// <summary>
    /// How many input samples at <paramref name="fromRate"/> give the first <paramref name="outputSamples"/> samples at
    /// <paramref name="toRate"/> exactly as resampling the whole (longer) input would: the span they cover plus the filter's reach.
    /// </summary>
    public static long InputNeeded(long outputSamples, int fromRate, int toRate)
    {
        var plan = Plan.Of(fromRate, toRate);
        if (fromRate == toRate || outputSamples <= 0) return Math.Max(0, outputSamples);
        // Output n reads input floor(n * down / up) - (k - 1) .. floor(n * down / up) + k; one more sample covers rounding in Direct.
        return (outputSamples - 1) * plan.Down / plan.Up + plan.K + 2;
    }

    /// <summary>The rational ratio up/down and the filter: cut-off, half width in input samples and taps per side.</summary>
    private readonly record struct Plan(long Up, long Down, double Cutoff, double HalfWidth, int K)
    {
        public static Plan Of(int fromRate, int toRate)
        {
            if (fromRate <= 0 || toRate <= 0) throw new ArgumentOutOfRangeException(nameof(fromRate), $"sample rates must be positive, got {fromRate} and {toRate} Hz");
            if ((long)fromRate > (long)toRate * MaxRatio || (long)toRate > (long)fromRate * MaxRatio)
                throw new ArgumentOutOfRangeException(nameof(fromRate), $"cannot resample from {fromRate} to {toRate} Hz: the ratio is above {MaxRatio}");
            var g = Gcd(fromRate, toRate);
            var cutoff = Rolloff * Math.Min(1.0, (double)toRate / fromRate);
            var halfWidth = ZeroCrossings / cutoff;
            return new Plan(toRate / g, fromRate / g, cutoff, halfWidth, (int)Math.Ceiling(halfWidth));
        }
    }

    private static void Polyphase(ReadOnlySpan<float> input, float[] output, int up, long down, int k, double cutoff, double halfWidth)
    {
        var taps = 2 * k;
        var bank = new float[up * taps];
        for (var p = 0; p < up; p++)
        {
            var frac = (double)p / up;
            // Tap j covers input sample base + j - (k - 1); tau is the distance from the output instant.
            for (var j = 0; j < taps; j++) bank[p * taps + j] = (float)Kernel(frac - (j - (k - 1)), cutoff, halfWidth);
        }
        for (var n = 0; n < output.Length; n++)
        {
            var position = n * down;
            var start = position / up - (k - 1);
            var phase = (int)(position % up);
            output[n] = Dot(input, start, bank.AsSpan(phase * taps, taps));
        }
    }

    private static void Direct(ReadOnlySpan<float> input, float[] output, double step, int k, double cutoff, double halfWidth)
    {
        var coefficients = new float[2 * k];
        for (var n = 0; n < output.Length; n++)
        {
            var t = n * step;
            var b = (long)Math.Floor(t);
            var start = b - (k - 1);
            for (var j = 0; j < coefficients.Length; j++) coefficients[j] = (float)Kernel(t - (start + j), cutoff, halfWidth);
            output[n] = Dot(input, start, coefficients);
        }
    }

    /// <summary>Sum of input[start + j] * taps[j], with samples outside the input taken as zero.</summary>
    private static float Dot(ReadOnlySpan<float> input, long start, ReadOnlySpan<float> taps)
    {
        var from = (int)Math.Max(0, -start);
        var to = (int)Math.Min(taps.Length, input.Length - start);
        if (to <= from) return 0f;
        var x = input.Slice((int)(start + from), to - from);
        var h = taps[from..to];
        return VectorMath.Dot(x, h);
    }

    private static double Kernel(double tau, double cutoff, double halfWidth)
    {
        if (Math.Abs(tau) >= halfWidth) return 0;
        var x = cutoff * tau;
        var sinc = Math.Abs(x) < 1e-12 ? 1.0 : Math.Sin(Math.PI * x) / (Math.PI * x);
        var r = tau / halfWidth;
        var window = BesselI0(KaiserBeta * Math.Sqrt(1 - r * r)) / BesselI0(KaiserBeta);
        return cutoff * sinc * window;
    }

    private static double BesselI0(double x)
    {
        double sum = 1, term = 1, half = x / 2;
        for (var i = 1; i < 64; i++)
        {
            term *= half / i * (half / i);
            sum += term;
            if (term < sum * 1e-17) break;
        }
        return sum;
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0) (a, b) = (b, a % b);
        return a;
    }
}
