namespace AudioPrune.Audio;

/// <summary>Log-mel values of a whole signal, frame-major: Values[frame * Bands + band].</summary>
internal sealed record LogMelSpectrogram(float[] Values, int Frames, int Bands)
{
    public float this[int frame, int band] => Values[frame * Bands + band];

    /// <summary>
    /// Copies frames [start, start + count) into <paramref name="destination"/> in the example layout:
    /// FramesByMel keeps the frame-major order, MelByFrames transposes to band-major.
    /// </summary>
    public void CopyExample(int start, int count, FeatureLayout layout, Span<float> destination)
    {
        if (start < 0 || start + count > Frames) throw new ArgumentOutOfRangeException(nameof(start), $"frames {start}..{start + count} outside 0..{Frames}");
        if (layout == FeatureLayout.FramesByMel)
        {
            Values.AsSpan(start * Bands, count * Bands).CopyTo(destination);
            return;
        }
        for (var f = 0; f < count; f++)
            for (var b = 0; b < Bands; b++)
                destination[b * count + f] = Values[(start + f) * Bands + b];
    }
}
