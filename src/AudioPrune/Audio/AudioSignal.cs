namespace AudioPrune.Audio;

/// <summary>
/// Decoded audio as one channel of float samples in [-1, 1] (downmixed or one picked channel),
/// with what the file held: its channel count and encoding (for summaries and error messages).
/// </summary>
internal sealed record AudioSignal(float[] Samples, int SampleRate, int SourceChannels, string Encoding)
{
    /// <summary>The whole recording's duration: longer than the samples when only the start was decoded.</summary>
    public double DurationSeconds { get; init; } = (double)Samples.Length / SampleRate;
}
