namespace AudioPrune.Audio;

/// <summary>Sample encodings a WAV file can hold that the decoder understands.</summary>
internal enum SampleEncoding
{
    Pcm,
    Float,
}

/// <summary>The parsed "fmt " chunk of a WAV file (after resolving WAVE_FORMAT_EXTENSIBLE to its sub-format).</summary>
internal sealed record WavFormat(SampleEncoding Encoding, int Channels, int SampleRate, int BitsPerSample, int BlockAlign, bool Extensible)
{
    public int BytesPerSample => BitsPerSample / 8;

    public string Describe() =>
        $"{(Encoding == SampleEncoding.Pcm ? "PCM" : "float")} {BitsPerSample}-bit{(Extensible ? " (extensible)" : "")}, {Channels} ch, {SampleRate} Hz";
}
