using AudioPrune.Common;
using NVorbis;

namespace AudioPrune.Audio;

/// <summary>Decodes OGG Vorbis files (.ogg, .oga) with NVorbis; any decoder failure becomes a clear input error.</summary>
public static class OggVorbisReader
{
    public static AudioSignal Read(string path, AudioReadOptions? options = null)
    {
        options ??= AudioReadOptions.Downmix;
        try
        {
            using var stream = File.OpenRead(path);
            using var reader = new VorbisReader(stream, closeOnDispose: false);
            var channels = reader.Channels;
            if (channels < 1) throw UserInputException.InFile(path, "the Vorbis stream declares no channels");
            var interleaved = new List<float>(checked((int)Math.Max(0, Math.Min(reader.TotalSamples * channels, 1L << 28))));
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
