using AudioPrune.Common;
using NVorbis;

namespace AudioPrune.Audio;

/// <summary>Decodes OGG Vorbis files (.ogg, .oga) with NVorbis; any decoder failure becomes a clear input error.</summary>
public static class OggVorbisReader
{
    /// <summary>The sample buffer is pre-sized from the stream's declared length only up to this; a damaged header may claim billions.</summary>
    private const long MaxPresizedSamples = 1L << 22;

    public static AudioSignal Read(string path, AudioReadOptions? options = null)
    {
        options ??= AudioReadOptions.Downmix;
        try
        {
            var bytes = File.ReadAllBytes(path);
            OggPageCheck.Ensure(bytes, path);
            using var stream = new MemoryStream(bytes, writable: false);
            using var reader = new VorbisReader(stream, closeOnDispose: false);
            var channels = reader.Channels;
            if (channels < 1) throw UserInputException.InFile(path, "the Vorbis stream declares no channels");
            if (reader.SampleRate is < 1 or > 1_000_000) throw UserInputException.InFile(path, $"unsupported sample rate {reader.SampleRate} Hz");
            var interleaved = new List<float>(checked((int)Math.Max(0, Math.Min(reader.TotalSamples * channels, MaxPresizedSamples))));
            var buffer = new float[4096 * channels];
            int read;
            while ((read = reader.ReadSamples(buffer, 0, buffer.Length)) > 0)
                interleaved.AddRange(buffer.AsSpan(0, read));
            var frames = interleaved.Count / channels;
            if (frames == 0) throw UserInputException.InFile(path, "zero-length audio: the Vorbis stream holds no samples");
            var mono = new float[frames];
            options.ToMono(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(interleaved), channels, mono, path);
            return new AudioSignal(mono, reader.SampleRate, channels, $"OGG Vorbis, {channels} ch, {reader.SampleRate} Hz");
        }
        catch (UserInputException)
        {
            throw;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw UserInputException.InFile(path, $"cannot decode OGG Vorbis: {e.Message}");
        }
    }
}
