namespace AudioPrune.Audio;

/// <summary>
/// Decoded audio as one channel of float samples in [-1, 1] (downmixed or one picked channel),
/// with what the file held: its channel count and encoding (for summaries and error messages).
/// </summary>
public sealed record AudioSignal(float[] Samples, int SampleRate, int SourceChannels, string Encoding)
{
    public double DurationSeconds => (double)Samples.Length / SampleRate;
}
