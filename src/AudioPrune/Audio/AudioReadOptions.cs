namespace AudioPrune.Audio;

/// <summary>
/// How a multi-channel file becomes one channel: by default the mean of all channels (downmix);
/// with <see cref="Channel"/> set, only that zero-based channel is kept.
/// </summary>
public sealed record AudioReadOptions(int? Channel = null)
{
    public static readonly AudioReadOptions Downmix = new();

    /// <summary>Copies channel-interleaved samples into one channel, downmixing or picking as configured.</summary>
    internal void CheckChannel(int channels, string path)
    {
        if (Channel is { } pick && (pick < 0 || pick >= channels))
            throw Common.UserInputException.InFile(path, $"channel {pick} was asked for but the file has {channels} channel(s) (0..{channels - 1})");
    }

    internal void ToMono(ReadOnlySpan<float> interleaved, int channels, Span<float> mono, string path)
    {
        CheckChannel(channels, path);
        var frames = mono.Length;
        if (channels == 1)
        {
            interleaved[..frames].CopyTo(mono);
            return;
        }
        if (Channel is { } c)
        {
            for (var i = 0; i < frames; i++) mono[i] = interleaved[i * channels + c];
            return;
        }
        var scale = 1f / channels;
        for (var i = 0; i < frames; i++)
        {
            var sum = 0f;
            var row = interleaved.Slice(i * channels, channels);
            foreach (var v in row) sum += v;
            mono[i] = sum * scale;
        }
    }
}
