using System.Numerics;
using AudioPrune.Audio;

namespace AudioPrune.Tests.Audio;

/// <summary>
/// An independent, deliberately plain double-precision log-mel written from the librosa / mel_features
/// formulas (np.pad reflect, periodic scipy windows, own radix-2 FFT, own Slaney and HTK filters), used
/// only to check the library's fast extractor. Returns [frame, band].
/// </summary>
internal static class LibrosaReference
{
    public static double[,] LogMel(float[] y, FrontEndSettings s)
    {
        var nfft = s.FftSize;
        double[] padded;
        int frames;
        double[] window = new double[nfft];
        var w = PeriodicWindow(s.Window, s.WindowLength);
        if (s.Center)
        {
            // librosa: y padded by n_fft//2 on both sides (numpy reflect), window zero-padded to n_fft, centred.
            padded = ReflectPad(y, nfft / 2);
            frames = 1 + (padded.Length - nfft) / s.HopLength;
            var off = (nfft - s.WindowLength) / 2;
            for (var i = 0; i < s.WindowLength; i++) window[off + i] = w[i];
        }
        else
        {
            // mel_features: frames of window_length samples, rfft zero-pads them to fft_length.
            padded = y.Select(v => (double)v).Concat(new double[nfft]).ToArray();
            frames = 1 + (y.Length - s.WindowLength) / s.HopLength;
            for (var i = 0; i < s.WindowLength; i++) window[i] = w[i];
        }
        var filters = s.MelScale == MelScale.Slaney ? SlaneyFilters(s) : HtkFilters(s);
        var result = new double[frames, s.MelBands];
        for (var t = 0; t < frames; t++)
        {
            var buffer = new Complex[nfft];
            for (var i = 0; i < nfft; i++) buffer[i] = padded[t * s.HopLength + i] * window[i];
            var spectrum = Fft(buffer);
            for (var m = 0; m < s.MelBands; m++)
            {
                var sum = 0.0;
                for (var k = 0; k <= nfft / 2; k++)
                {
                    var mag = spectrum[k].Magnitude;
                    sum += filters[m, k] * (s.Spectrum == SpectrumKind.Power ? mag * mag : mag);
                }
                result[t, m] = s.Log == LogKind.Natural ? Math.Log(sum + s.LogEpsilon) : 10 * Math.Log10(Math.Max(sum, s.LogEpsilon));
            }
        }
        return result;
    }

    public static double[] PeriodicWindow(WindowKind kind, int n)
    {
        // scipy.signal.get_window(..., fftbins=True): the symmetric window of n+1 points without its last point.
        var a = kind == WindowKind.Hann ? 0.5 : 0.54;
        return Enumerable.Range(0, n).Select(i => a - (1 - a) * Math.Cos(2 * Math.PI * i / n)).ToArray();
    }

    private static double[] ReflectPad(float[] y, int pad)
    {
        var n = y.Length;
        var r = new double[n + 2 * pad];
        for (var i = 0; i < r.Length; i++)
        {
            var j = i - pad;
            while (j < 0 || j >= n) j = j < 0 ? -j : 2 * (n - 1) - j;
            r[i] = y[j];
        }
        return r;
    }

    /// <summary>Recursive radix-2 decimation-in-time FFT.</summary>
    public static Complex[] Fft(Complex[] x)
    {
        var n = x.Length;
        if (n == 1) return [x[0]];
        var even = Fft(Enumerable.Range(0, n / 2).Select(i => x[2 * i]).ToArray());
        var odd = Fft(Enumerable.Range(0, n / 2).Select(i => x[2 * i + 1]).ToArray());
        var result = new Complex[n];
        for (var k = 0; k < n / 2; k++)
        {
            var t = Complex.FromPolarCoordinates(1, -2 * Math.PI * k / n) * odd[k];
            result[k] = even[k] + t;
            result[k + n / 2] = even[k] - t;
        }
        return result;
    }

    private static double HzToMelSlaney(double f)
    {
        const double fSp = 200.0 / 3, minLogHz = 1000, minLogMel = minLogHz / fSp;
        var logStep = Math.Log(6.4) / 27;
        return f < minLogHz ? f / fSp : minLogMel + Math.Log(f / minLogHz) / logStep;
    }

    private static double MelToHzSlaney(double m)
    {
        const double fSp = 200.0 / 3, minLogHz = 1000, minLogMel = minLogHz / fSp;
        var logStep = Math.Log(6.4) / 27;
        return m < minLogMel ? m * fSp : minLogHz * Math.Exp(logStep * (m - minLogMel));
    }

    /// <summary>librosa.filters.mel(htk=False, norm='slaney').</summary>
    public static double[,] SlaneyFilters(FrontEndSettings s)
    {
        var bins = s.FftSize / 2 + 1;
        var fft = Enumerable.Range(0, bins).Select(k => (double)k * s.SampleRate / s.FftSize).ToArray();
        double lo = HzToMelSlaney(s.MinFrequency), hi = HzToMelSlaney(s.MaxFrequency);
        var melF = Enumerable.Range(0, s.MelBands + 2).Select(i => MelToHzSlaney(lo + (hi - lo) * i / (s.MelBands + 1))).ToArray();
        var weights = new double[s.MelBands, bins];
        for (var m = 0; m < s.MelBands; m++)
        {
            var enorm = 2.0 / (melF[m + 2] - melF[m]);
            for (var k = 0; k < bins; k++)
            {
                var lower = (fft[k] - melF[m]) / (melF[m + 1] - melF[m]);
                var upper = (melF[m + 2] - fft[k]) / (melF[m + 2] - melF[m + 1]);
                weights[m, k] = Math.Max(0, Math.Min(lower, upper)) * enorm;
            }
        }
        return weights;
    }

    /// <summary>mel_features.spectrogram_to_mel_matrix (VGGish).</summary>
    public static double[,] HtkFilters(FrontEndSettings s)
    {
        static double Mel(double f) => 1127.0 * Math.Log(1 + f / 700.0);
        var bins = s.FftSize / 2 + 1;
        var edges = Enumerable.Range(0, s.MelBands + 2)
            .Select(i => Mel(s.MinFrequency) + (Mel(s.MaxFrequency) - Mel(s.MinFrequency)) * i / (s.MelBands + 1)).ToArray();
        var weights = new double[s.MelBands, bins];
        for (var k = 1; k < bins; k++)
        {
            var binMel = Mel(s.SampleRate / 2.0 * k / (bins - 1));
            for (var m = 0; m < s.MelBands; m++)
            {
                var lower = (binMel - edges[m]) / (edges[m + 1] - edges[m]);
                var upper = (edges[m + 2] - binMel) / (edges[m + 2] - edges[m + 1]);
                weights[m, k] = Math.Max(0, Math.Min(lower, upper));
            }
        }
        return weights;
    }
}
