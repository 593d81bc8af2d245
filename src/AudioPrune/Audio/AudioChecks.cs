using AudioPrune.Common;

namespace AudioPrune.Audio;

/// <summary>Checks every decoder applies to what a file declares and holds: its sample rate and its samples' values.</summary>
internal static class AudioChecks
{
    /// <summary>Refuses a declared rate outside <see cref="InputLimits.MinSampleRate"/>..<see cref="InputLimits.MaxSampleRate"/> Hz.</summary>
    public static int SampleRate(long rate, string path)
    {
        if (rate is < InputLimits.MinSampleRate or > InputLimits.MaxSampleRate)
            throw UserInputException.InFile(path, $"unsupported sample rate {rate} Hz (supported: {InputLimits.MinSampleRate:N0} to {InputLimits.MaxSampleRate:N0} Hz)");
        return (int)rate;
    }

    /// <summary>Refuses a NaN or infinite sample; <paramref name="firstIndex"/> is the interleaved index of <paramref name="samples"/>[0] in the file.</summary>
    public static void Finite(ReadOnlySpan<float> samples, long firstIndex, int channels, string path)
    {
        var bad = FirstNonFinite(samples);
        if (bad < 0) return;
        var index = firstIndex + bad;
        var value = float.IsNaN(samples[bad]) ? "NaN" : samples[bad] > 0 ? "+Inf" : "-Inf";
        throw UserInputException.InFile(path, $"sample {index} (frame {index / channels}, channel {index % channels}) is {value}; audio samples must be finite numbers");
    }

    private static int FirstNonFinite(ReadOnlySpan<float> samples)
    {
        for (var i = 0; i < samples.Length; i++)
            if (!float.IsFinite(samples[i])) return i;
        return -1;
    }
}
