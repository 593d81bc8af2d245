using System.Runtime.InteropServices;
using AudioPrune.Common;
using NVorbis;

namespace AudioPrune.Audio;

/// <summary>
/// Decodes OGG Vorbis files (.ogg, .oga) with NVorbis, after <see cref="OggPageCheck"/> has checked the pages and
/// header packets. Only the frames the caller needs are decoded (<see cref="AudioReadOptions"/>); the decode loop
/// stops on a decoder that makes no progress or yields more than the stream's last granule position declares.
/// Any decoder failure becomes a one-line input error naming the file.
/// </summary>
internal static class OggVorbisReader
{
    /// <summary>The sample buffer is pre-sized from the stream's declared length only up to this; a damaged header may claim billions.</summary>
    private const long MaxPresizedSamples = 1L << 22;

    /// <summary>Frames decoded per call to the decoder.</summary>
    private const int BlockFrames = 4096;

    /// <summary>Calls in a row that may return no samples before the stream is refused as stuck.</summary>
    private const int MaxCallsWithoutProgress = 64;

    /// <summary>Frames a stream may yield beyond its last granule position (one long block) before it is refused.</summary>
    private const long GranuleSlack = 8192;

    public static AudioSignal Read(string path, AudioReadOptions? options = null)
    {
        options ??= AudioReadOptions.Downmix;
        byte[] bytes;
        try
        {
            bytes = InputFile.ReadAllBytes(path, InputLimits.MaxCompressedAudioBytes, AudioDecoder.Noun);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw UserInputException.InFile(path, $"cannot read the file: {e.Message}");
        }
        OggPageCheck.Ensure(bytes, path);
        try
        {
            return Decode(bytes, path, options);
        }
        catch (UserInputException)
        {
            throw;
        }
        catch (Exception e)
        {
            // Allocation failures included: a damaged header can make NVorbis ask for an impossible array.
            throw UserInputException.InFile(path, $"cannot decode OGG Vorbis: {OneLine(e.Message)}");
        }
    }

    private static AudioSignal Decode(byte[] bytes, string path, AudioReadOptions options)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        using var reader = new VorbisReader(stream, closeOnDispose: false);
        var channels = reader.Channels;
        if (channels < 1) throw UserInputException.InFile(path, "the Vorbis stream declares no channels");
        var rate = AudioChecks.SampleRate(reader.SampleRate, path);
        options.CheckChannel(channels, path);
        var declared = reader.TotalSamples;
        var mono = DecodeMono(reader, channels, options, options.DecodeBudget(rate), declared, path);
        var decoded = mono.Count;
        if (decoded == 0) throw UserInputException.InFile(path, "zero-length audio: the Vorbis stream holds no samples");
        // Stopped at the budget, the recording is at least as long as decoded, and as long as its granule positions say.
        var total = reader.IsEndOfStream ? decoded : Math.Max(decoded, declared);
        var frames = (int)options.FramesToDecode(total, rate, path);
        return new AudioSignal(CollectionsMarshal.AsSpan(mono)[..frames].ToArray(), rate, channels, $"OGG Vorbis, {channels} ch, {rate} Hz")
        {
            DurationSeconds = total / (double)rate,
        };
    }

    /// <summary>
    /// At most <paramref name="budget"/> frames, downmixed (or picked) block by block so that only one channel is kept,
    /// each block checked to be finite, with the progress guards.
    /// </summary>
    private static List<float> DecodeMono(VorbisReader reader, int channels, AudioReadOptions options, long budget, long declared, string path)
    {
        var mono = new List<float>((int)Math.Clamp(Math.Min(declared, budget), 0, MaxPresizedSamples));
        var buffer = new float[BlockFrames * channels];
        var block = new float[BlockFrames];
        var idle = 0;
        long frames = 0;
        while (frames < budget && !reader.IsEndOfStream)
        {
            var read = reader.ReadSamples(buffer, 0, (int)Math.Min(buffer.Length, (budget - frames) * channels));
            if (read == 0 && ++idle > MaxCallsWithoutProgress)
                throw UserInputException.InFile(path, $"the Vorbis decoder made no progress after {frames} frames (damaged stream)");
            if (read == 0) continue;
            idle = 0;
            AudioChecks.Finite(buffer.AsSpan(0, read), frames * channels, channels, path);
            var count = read / channels;
            options.ToMono(buffer.AsSpan(0, read), channels, block.AsSpan(0, count), path);
            mono.AddRange(block.AsSpan(0, count));
            frames += count;
            if (declared > 0 && frames > declared + GranuleSlack)
                throw UserInputException.InFile(path, $"the Vorbis stream yields more than the {declared} frames its granule positions declare (damaged stream)");
        }
        return mono;
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ");
}
