using AudioPrune.Common;

namespace AudioPrune.Audio;

/// <summary>
/// How a file becomes one channel, and how much of it is decoded. Channels: by default the mean of all channels
/// (downmix); with <see cref="Channel"/> set, only that zero-based channel is kept. Length: with <see cref="Clip"/>
/// set, only the start the clip needs is read (the rest is never decoded); without it the whole recording is
/// decoded, and one longer than <see cref="InputLimits.MaxDecodedSeconds"/> is refused.
/// </summary>
internal sealed record AudioReadOptions(int? Channel = null)
{
    public static readonly AudioReadOptions Downmix = new();

    /// <summary>The start of the recording the caller uses, or null for the whole recording.</summary>
    public ClipExtent? Clip { get; init; }

    /// <summary>What a front end reads: its channel, and with a fixed-length clip (pad or crop) only that clip's start.</summary>
    public static AudioReadOptions For(FrontEndSettings settings) => new(settings.Channel)
    {
        Clip = settings.ClipPolicy == ClipPolicy.PadOrCrop ? new ClipExtent(settings.SampleRate, settings.ClipSamples) : null,
    };

    /// <summary>
    /// How many of the <paramref name="available"/> frames at <paramref name="sourceRate"/> to decode: those the clip
    /// needs, or all of them when they are within the whole-recording limit (beyond it the file is refused).
    /// </summary>
    internal long FramesToDecode(long available, int sourceRate, string path)
    {
        if (Clip is { } clip) return Math.Min(available, clip.SourceFrames(sourceRate));
        if (available > MaxWholeFrames(sourceRate))
            throw UserInputException.InFile(path, $"the recording lasts {available / (double)sourceRate:0.#} s, longer than the {InputLimits.MaxDecodedSeconds / 60} minutes " +
                "decoded whole for a front end that uses the whole recording; cut it into shorter files");
        return available;
    }

    /// <summary>The most frames a whole-recording read decodes; a decoder may stop one frame after it, when the file is refused anyway.</summary>
    internal static long MaxWholeFrames(int sourceRate) => (long)InputLimits.MaxDecodedSeconds * sourceRate;

    /// <summary>The most frames worth decoding at <paramref name="sourceRate"/>: one more than a whole-recording read accepts shows the file is too long.</summary>
    internal long DecodeBudget(int sourceRate) => Clip is { } clip ? clip.SourceFrames(sourceRate) : MaxWholeFrames(sourceRate) + 1;

    /// <summary>Copies channel-interleaved samples into one channel, downmixing or picking as configured.</summary>
    internal void CheckChannel(int channels, string path)
    {
        if (Channel is { } pick && (pick < 0 || pick >= channels))
            throw UserInputException.InFile(path, $"channel {pick} was asked for but the file has {channels} channel(s) (0..{channels - 1})");
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

/// <summary>The first <see cref="Samples"/> samples at <see cref="SampleRate"/> (after resampling): what a fixed-length clip uses.</summary>
internal sealed record ClipExtent(int SampleRate, long Samples)
{
    /// <summary>The frames at <paramref name="sourceRate"/> that give exactly those samples, the resampling filter's reach included.</summary>
    public long SourceFrames(int sourceRate) => Resampler.InputNeeded(Samples, sourceRate, SampleRate);
}
