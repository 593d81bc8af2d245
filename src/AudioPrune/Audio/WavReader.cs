using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using AudioPrune.Common;

namespace AudioPrune.Audio;

/// <summary>
/// A RIFF/WAVE parser for untrusted files. Every chunk header and size is checked against the bytes that are
/// really there, so a truncated, empty or non-WAV file, or one with an unsupported encoding, fails with a
/// <see cref="UserInputException"/> naming the file and the reason instead of reading garbage.
/// Supports PCM 8 (unsigned), 16, 24 and 32-bit, IEEE float 32 and 64-bit, and WAVE_FORMAT_EXTENSIBLE
/// wrapping either, with any channel count and a sample rate within <see cref="InputLimits"/>. Only the frames
/// the caller needs are read (<see cref="AudioReadOptions"/>), by seeking: a long file costs no more than a short one.
/// A NaN or infinite float sample is refused with its index.
/// </summary>
internal static class WavReader
{
    private const ushort FormatPcm = 1;
    private const ushort FormatFloat = 3;
    private const ushort FormatExtensible = 0xFFFE;

    /// <summary>Bytes converted per block (at least one frame): the data chunk is never held whole as bytes or as interleaved floats.</summary>
    private const int BlockBytes = 1 << 18;

    /// <summary>Reads the fmt chunk's first bytes only (40 hold everything parsed), however large it claims to be.</summary>
    private const int FormatBytesRead = 64;

    public static AudioSignal Read(string path, AudioReadOptions? options = null)
    {
        try
        {
            using var stream = InputFile.OpenRead(path, AudioDecoder.Noun);
            return Decode(stream, path, options ?? AudioReadOptions.Downmix);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw UserInputException.InFile(path, $"cannot read the file: {e.Message}");
        }
    }

    /// <summary>Decodes WAV bytes; <paramref name="path"/> only names the source in error messages.</summary>
    public static AudioSignal Decode(ReadOnlySpan<byte> file, string path, AudioReadOptions options)
    {
        using var stream = new MemoryStream(file.ToArray(), writable: false);
        return Decode(stream, path, options);
    }

    /// <summary>
    /// Decodes the frames <paramref name="options"/> ask for from a seekable stream: the header is parsed chunk by
    /// chunk, then only those frames are read, block by block (the rest of the data chunk is never read).
    /// </summary>
    public static AudioSignal Decode(Stream stream, string path, AudioReadOptions options)
    {
        var format = Parse(stream, path, out var dataStart, out var dataLength);
        var available = dataLength / format.BlockAlign;
        var frames = options.FramesToDecode(available, format.SampleRate, path);
        if (frames > Array.MaxLength) throw UserInputException.InFile(path, $"{frames} sample frames are too many to decode at once");
        options.CheckChannel(format.Channels, path);
        var mono = new float[frames];
        stream.Position = dataStart;
        var blockFrames = Math.Max(1, BlockBytes / format.BlockAlign);
        var bytes = ArrayPool<byte>.Shared.Rent(blockFrames * format.BlockAlign);
        var interleaved = ArrayPool<float>.Shared.Rent(blockFrames * format.Channels);
        try
        {
            for (long first = 0; first < frames; first += blockFrames)
            {
                var count = (int)Math.Min(blockFrames, frames - first);
                var data = bytes.AsSpan(0, count * format.BlockAlign);
                stream.ReadExactly(data);
                DecodeBlock(data, format, options, interleaved.AsSpan(0, count * format.Channels), mono.AsSpan((int)first, count), first * format.Channels, path);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
            ArrayPool<float>.Shared.Return(interleaved);
        }
        return new AudioSignal(mono, format.SampleRate, format.Channels, "WAV " + format.Describe()) { DurationSeconds = available / (double)format.SampleRate };
    }

    /// <summary>One block of frames to mono; float samples are checked to be finite (<paramref name="firstSample"/> numbers them in errors).</summary>
    private static void DecodeBlock(ReadOnlySpan<byte> data, WavFormat format, AudioReadOptions options, Span<float> interleaved, Span<float> mono, long firstSample, string path)
    {
        if (format is { Encoding: SampleEncoding.Pcm, BitsPerSample: 16 } && BitConverter.IsLittleEndian)
        {
            Pcm16ToMono(MemoryMarshal.Cast<byte, short>(data), format.Channels, options, mono, path);
            return;
        }
        ConvertSamples(data, format, interleaved);
        if (format.Encoding == SampleEncoding.Float) AudioChecks.Finite(interleaved, firstSample, format.Channels, path);
        options.ToMono(interleaved, format.Channels, mono, path);
    }

    /// <summary>The common case (16-bit PCM) without an intermediate float copy of all channels.</summary>
    private static void Pcm16ToMono(ReadOnlySpan<short> samples, int channels, AudioReadOptions options, Span<float> mono, string path)
    {
        const float scale = 1f / 32768f;
        options.CheckChannel(channels, path);
        if (options.Channel is { } pick)
        {
            for (var i = 0; i < mono.Length; i++) mono[i] = samples[i * channels + pick] * scale;
            return;
        }
        if (channels == 1)
        {
            for (var i = 0; i < mono.Length; i++) mono[i] = samples[i] * scale;
            return;
        }
        var mixScale = scale / channels;
        for (var i = 0; i < mono.Length; i++)
        {
            var sum = 0;
            foreach (var v in samples.Slice(i * channels, channels)) sum += v;
            mono[i] = sum * mixScale;
        }
    }

    /// <summary>Finds and validates the fmt and data chunks; returns the format and where the sample bytes are.</summary>
    public static WavFormat Parse(Stream stream, string path, out long dataStart, out long dataLength)
    {
        var fileLength = stream.Length;
        Span<byte> header = stackalloc byte[12];
        stream.Position = 0;
        var got = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        if (got == 0) throw UserInputException.InFile(path, "the file is empty (0 bytes), not a WAV file");
        if (got < 12 || !header[..4].SequenceEqual("RIFF"u8) || !header.Slice(8, 4).SequenceEqual("WAVE"u8))
            throw UserInputException.InFile(path, "not a WAV file (no RIFF/WAVE header)");
        var riffSize = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        // Only the chunks inside the RIFF size count; a file cut short is reported when a chunk runs past its end.
        var end = Math.Min(fileLength, 8L + riffSize);

        WavFormat? format = null;
        long position = 12;
        Span<byte> chunk = stackalloc byte[8];
        while (position + 8 <= end)
        {
            stream.Position = position;
            stream.ReadExactly(chunk);
            var id = chunk[..4];
            var size = BinaryPrimitives.ReadUInt32LittleEndian(chunk[4..]);
            var bodyStart = position + 8;
            var available = fileLength - bodyStart;
            if (id.SequenceEqual("data"u8))
            {
                if (format is null) throw UserInputException.InFile(path, "the data chunk comes before the fmt chunk (malformed WAV)");
                if (size > available)
                    throw UserInputException.InFile(path, $"truncated: the data chunk declares {size} bytes but only {available} follow");
                if (size == 0) throw UserInputException.InFile(path, "zero-length audio: the data chunk is empty");
                if (size < format.BlockAlign) throw UserInputException.InFile(path, $"zero-length audio: the data chunk holds {size} bytes, less than one sample frame ({format.BlockAlign} bytes)");
                dataStart = bodyStart;
                dataLength = size;
                return format;
            }
            if (size > available)
                throw UserInputException.InFile(path, $"truncated: chunk '{ChunkName(id)}' declares {size} bytes but only {available} follow");
            if (id.SequenceEqual("fmt "u8)) format = ParseFormat(ReadPrefix(stream, (int)Math.Min(size, FormatBytesRead)), (int)Math.Min(size, int.MaxValue), path);
            // Chunks are word-aligned: an odd-sized chunk is followed by one pad byte.
            position = bodyStart + size + (size & 1);
        }
        throw UserInputException.InFile(path, format is null ? "no fmt chunk (malformed or truncated WAV)" : "no data chunk (malformed or truncated WAV)");
    }

    private static byte[] ReadPrefix(Stream stream, int count)
    {
        var bytes = new byte[count];
        stream.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>Parses the fmt chunk from its first bytes <paramref name="fmt"/>; <paramref name="size"/> is the size it declares.</summary>
    private static WavFormat ParseFormat(ReadOnlySpan<byte> fmt, int size, string path)
    {
        if (size < 16) throw UserInputException.InFile(path, $"the fmt chunk is {size} bytes, at least 16 are needed");
        var tag = BinaryPrimitives.ReadUInt16LittleEndian(fmt);
        var channels = BinaryPrimitives.ReadUInt16LittleEndian(fmt[2..]);
        var rate = BinaryPrimitives.ReadUInt32LittleEndian(fmt[4..]);
        var blockAlign = BinaryPrimitives.ReadUInt16LittleEndian(fmt[12..]);
        var bits = BinaryPrimitives.ReadUInt16LittleEndian(fmt[14..]);
        var extensible = false;
        if (tag == FormatExtensible)
        {
            if (size < 40) throw UserInputException.InFile(path, $"WAVE_FORMAT_EXTENSIBLE needs a 40-byte fmt chunk, this one has {size} bytes");
            // The sub-format GUID starts with the ordinary format tag.
            tag = BinaryPrimitives.ReadUInt16LittleEndian(fmt[24..]);
            extensible = true;
        }
        if (channels == 0) throw UserInputException.InFile(path, "the fmt chunk declares 0 channels");
        AudioChecks.SampleRate(rate, path);
        var encoding = tag switch
        {
            FormatPcm when bits is 8 or 16 or 24 or 32 => SampleEncoding.Pcm,
            FormatFloat when bits is 32 or 64 => SampleEncoding.Float,
            FormatPcm or FormatFloat => throw UserInputException.InFile(path,
                $"unsupported encoding: {(tag == FormatPcm ? "PCM" : "float")} with {bits} bits per sample (supported: PCM 8/16/24/32, float 32/64)"),
            _ => throw UserInputException.InFile(path,
                $"unsupported encoding: WAV format tag 0x{tag:X4} (supported: PCM and IEEE float; convert compressed WAV files, e.g. with sox, first)"),
        };
        if (blockAlign != channels * (bits / 8))
            throw UserInputException.InFile(path, $"inconsistent fmt chunk: block align {blockAlign} but {channels} channel(s) x {bits / 8} bytes");
        return new WavFormat(encoding, channels, (int)rate, bits, blockAlign, extensible);
    }

    private static void ConvertSamples(ReadOnlySpan<byte> data, WavFormat format, Span<float> output)
    {
        switch (format.Encoding, format.BitsPerSample)
        {
            case (SampleEncoding.Pcm, 8):
                for (var i = 0; i < output.Length; i++) output[i] = (data[i] - 128) / 128f;
                break;
            case (SampleEncoding.Pcm, 16):
                for (var i = 0; i < output.Length; i++) output[i] = BinaryPrimitives.ReadInt16LittleEndian(data[(2 * i)..]) / 32768f;
                break;
            case (SampleEncoding.Pcm, 24):
                for (var i = 0; i < output.Length; i++)
                {
                    var b = data.Slice(3 * i, 3);
                    var value = (b[0] | (b[1] << 8) | (b[2] << 16)) << 8 >> 8; // sign-extend 24 bits
                    output[i] = value / 8388608f;
                }
                break;
            case (SampleEncoding.Pcm, 32):
                for (var i = 0; i < output.Length; i++) output[i] = (float)(BinaryPrimitives.ReadInt32LittleEndian(data[(4 * i)..]) / 2147483648.0);
                break;
            case (SampleEncoding.Float, 32):
                for (var i = 0; i < output.Length; i++) output[i] = BinaryPrimitives.ReadSingleLittleEndian(data[(4 * i)..]);
                break;
            case (SampleEncoding.Float, 64):
                for (var i = 0; i < output.Length; i++) output[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(data[(8 * i)..]);
                break;
            default:
                throw new InvalidOperationException($"unhandled WAV encoding {format.Describe()}");
        }
    }

    private static string ChunkName(ReadOnlySpan<byte> id)
    {
        Span<char> chars = stackalloc char[4];
        for (var i = 0; i < 4; i++) chars[i] = id[i] is >= 32 and < 127 ? (char)id[i] : '?';
        return new string(chars);
    }
}
