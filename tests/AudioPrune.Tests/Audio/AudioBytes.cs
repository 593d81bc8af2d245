using System.Buffers.Binary;
using AudioPrune.Audio;

namespace AudioPrune.Tests.Audio;

/// <summary>WAV and OGG files made or damaged byte by byte, for the decoder's unit tests and the hostile cases.</summary>
internal static class AudioBytes
{
    /// <summary>Offsets in a canonical (16-byte fmt) WAV header.</summary>
    public const int ChannelsOffset = 22, RateOffset = 24, DataSizeOffset = 40, HeaderLength = 44;

    /// <summary>A canonical mono WAV file of <paramref name="samples"/>.</summary>
    public static byte[] Wav(int rate, float[] samples, SampleEncoding encoding = SampleEncoding.Pcm, int bits = 16) =>
        WavWriter.Encode(rate, [samples], encoding, bits, extensible: false);

    /// <summary>A 16-bit mono tone of <paramref name="seconds"/> at <paramref name="rate"/>.</summary>
    public static byte[] Tone(int rate, double seconds) => Wav(rate, TestSignals.Tone(rate, seconds, Math.Min(440, rate / 4.0)));

    public static byte[] Patch(byte[] file, int offset, uint value)
    {
        var copy = (byte[])file.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(offset), value);
        return copy;
    }

    public static byte[] Patch16(byte[] file, int offset, ushort value)
    {
        var copy = (byte[])file.Clone();
        BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(offset), value);
        return copy;
    }

    /// <summary>
    /// Writes a long 16-bit mono WAV file of <paramref name="seconds"/> at <paramref name="rate"/> without holding it in
    /// memory: a canonical header, then one second of a tone repeated.
    /// </summary>
    public static void WriteLongWav(string path, int rate, int seconds)
    {
        var second = Tone(rate, 1)[HeaderLength..];
        var header = Patch(Tone(rate, 1)[..HeaderLength], DataSizeOffset, (uint)(second.Length * (long)seconds));
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), (uint)(36 + second.Length * (long)seconds));
        using var stream = File.Create(path);
        stream.Write(header);
        for (var i = 0; i < seconds; i++) stream.Write(second);
    }

    /// <summary>The OGG Vorbis fixture (a bell, mono 44.1 kHz): page 0 is the identification header, page 1 starts the comment header.</summary>
    public static byte[] Bell() => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Audio", "Fixtures", "bell.oga"));

    /// <summary>Offsets in <see cref="Bell"/>: identification header fields, and the comment header's vendor length.</summary>
    public const int BellChannels = 28 + 11, BellRate = 28 + 12, BellBlockSizes = 28 + 28, BellFraming = 28 + 29, BellVendorLength = 58 + 27 + 16 + 7;

    /// <summary>Recomputes every page's checksum, so that damage reaches the header checks and the decoder.</summary>
    public static byte[] Reseal(byte[] bytes)
    {
        var position = 0;
        while (position < bytes.Length && OggPageCheck.PageLength(bytes.AsSpan(position)) is var length and > 0)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(position + 22), OggPageCheck.Crc(bytes.AsSpan(position, length)));
            position += length;
        }
        return bytes;
    }

    /// <summary>A copy with every page's stream serial number set to <paramref name="serial"/> (checksums repaired).</summary>
    public static byte[] WithSerial(byte[] bytes, uint serial)
    {
        var copy = (byte[])bytes.Clone();
        var position = 0;
        while (position < copy.Length && OggPageCheck.PageLength(copy.AsSpan(position)) is var length and > 0)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(position + 14), serial);
            position += length;
        }
        return Reseal(copy);
    }

    /// <summary>The bell, then a second (chained) logical stream of it whose comment header's vendor length is damaged.</summary>
    public static byte[] BellWithDamagedSecondStream()
    {
        var second = Reseal(Patch(WithSerial(Bell(), 7), BellVendorLength, 0x7FFFFFF0));
        return [.. Bell(), .. second];
    }
}
