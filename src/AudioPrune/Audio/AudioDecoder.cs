using AudioPrune.Common;

namespace AudioPrune.Audio;

/// <summary>
/// Reads an audio file whatever its container, recognised by its first bytes (not its extension):
/// RIFF/WAVE through <see cref="WavReader"/>, OGG through <see cref="OggVorbisReader"/>.
/// Only regular files are opened (a FIFO, device or folder is refused before anything blocks).
/// Optionally resamples to a target rate with <see cref="Resampler"/>.
/// </summary>
internal static class AudioDecoder
{
    /// <summary>How error messages call the file.</summary>
    public const string Noun = "audio file";

    /// <summary>File extensions dataset scanners treat as audio.</summary>
    public static readonly IReadOnlySet<string> AudioExtensions =
        new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ".wav", ".wave", ".ogg", ".oga" };

    public static AudioSignal Read(string path, AudioReadOptions? options = null)
    {
        Span<byte> magic = stackalloc byte[4];
        int got;
        try
        {
            using var stream = InputFile.OpenRead(path, Noun);
            got = stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw UserInputException.InFile(path, $"cannot read the file: {e.Message}");
        }
        if (got == 0) throw UserInputException.InFile(path, "the file is empty (0 bytes)");
        if (got == 4 && magic.SequenceEqual("RIFF"u8)) return WavReader.Read(path, options);
        if (got == 4 && magic.SequenceEqual("OggS"u8)) return OggVorbisReader.Read(path, options);
        if (got == 4 && magic.SequenceEqual("fLaC"u8)) throw UserInputException.InFile(path, "FLAC is not supported (convert to WAV, e.g. with sox or ffmpeg)");
        throw UserInputException.InFile(path, "not a WAV or OGG Vorbis file (unrecognised header)");
    }

    /// <summary>Reads and resamples to <paramref name="sampleRate"/> when the file's rate differs.</summary>
    public static AudioSignal Read(string path, int sampleRate, AudioReadOptions? options = null)
    {
        var signal = Read(path, options);
        return signal.SampleRate == sampleRate ? signal : signal with { Samples = Resampler.Resample(signal.Samples, signal.SampleRate, sampleRate), SampleRate = sampleRate };
    }
}
