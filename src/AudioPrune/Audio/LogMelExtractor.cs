using NWaves.Transforms;

namespace AudioPrune.Audio;

/// <summary>
/// Log-mel spectrogram with librosa's framing (which NWaves' own extractor does not reproduce): a periodic
/// window of WindowLength samples centred in an FftSize frame, frames centred on t*hop with the signal
/// reflect-padded (or uncentred frames starting at t*hop), double-precision real FFT, magnitude or power,
/// mel filters, then log. Thread-safe: one instance can serve parallel extraction.
/// </summary>
internal sealed class LogMelExtractor
{
    private readonly double[] window;
    private readonly int windowOffset;
    private readonly MelFilterBank filters;

    public LogMelExtractor(FrontEndSettings settings)
    {
        Settings = settings.Validate();
        window = CreateWindow(settings.Window, settings.WindowLength, settings.PeriodicWindow);
        // librosa pads the window to n_fft centred, (n_fft - win) // 2 zeros before it.
        windowOffset = settings.Center ? (settings.FftSize - settings.WindowLength) / 2 - settings.FftSize / 2 : 0;
        filters = MelFilterBank.Create(settings);
    }

    public FrontEndSettings Settings { get; }

    public MelFilterBank Filters => filters;

    /// <summary>Window samples w[n]: periodic (length N+1 form truncated, as scipy sym=False) or symmetric.</summary>
    public static double[] CreateWindow(WindowKind kind, int length, bool periodic)
    {
        var denominator = periodic ? length : Math.Max(1, length - 1);
        var (a, b) = kind == WindowKind.Hann ? (0.5, 0.5) : (0.54, 0.46);
        var w = new double[length];
        for (var n = 0; n < length; n++) w[n] = a - b * Math.Cos(2 * Math.PI * n / denominator);
        return w;
    }

    /// <summary>Log-mel of the whole signal (which must already be at Settings.SampleRate).</summary>
    public LogMelSpectrogram Extract(ReadOnlySpan<float> samples)
    {
        var s = Settings;
        var frames = s.FrameCount(samples.Length);
        var bands = s.MelBands;
        var values = new float[frames * bands];
        if (frames == 0) return new LogMelSpectrogram(values, 0, bands);
        var fft = new RealFft64(s.FftSize);
        var frame = new double[s.FftSize];
        var re = new double[s.FftSize / 2 + 1];
        var im = new double[s.FftSize / 2 + 1];
        var spectrum = new double[s.FftSize / 2 + 1];
        var mel = new double[bands];
        var power = s.Spectrum == SpectrumKind.Power;
        var natural = s.Log == LogKind.Natural;
        var eps = s.LogEpsilon;
        var n = samples.Length;
        for (var t = 0; t < frames; t++)
        {
            var start = t * s.HopLength + windowOffset;
            // The window occupies frame[0..WindowLength); its position inside the FFT buffer only changes phase.
            if (start >= 0 && start + window.Length <= n)
                for (var i = 0; i < window.Length; i++) frame[i] = samples[start + i] * window[i];
            else
                for (var i = 0; i < window.Length; i++) frame[i] = SampleAt(samples, start + i, s.Center) * window[i];
            fft.Direct(frame, re, im);
            for (var k = 0; k < spectrum.Length; k++)
            {
                var p = re[k] * re[k] + im[k] * im[k];
                spectrum[k] = power ? p : Math.Sqrt(p);
            }
            filters.Apply(spectrum, mel);
            var row = values.AsSpan(t * bands, bands);
            for (var b = 0; b < bands; b++)
                row[b] = (float)(natural ? Math.Log(mel[b] + eps) : 10.0 * Math.Log10(Math.Max(mel[b], eps)));
        }
        return new LogMelSpectrogram(values, frames, bands);
    }

    /// <summary>Sample with numpy "reflect" padding for centred frames (zero beyond the end otherwise).</summary>
    private static double SampleAt(ReadOnlySpan<float> x, int index, bool reflect)
    {
        var n = x.Length;
        if (index >= 0 && index < n) return x[index];
        if (!reflect) return 0;
        if (n == 1) return x[0];
        var period = 2 * (n - 1);
        var m = index % period;
        if (m < 0) m += period;
        return x[m < n ? m : period - m];
    }
}
