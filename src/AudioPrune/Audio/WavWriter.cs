using System.Buffers.Binary;
using AudioPrune.Common;

namespace AudioPrune.Audio;

/// <summary>
/// Writes WAV files (PCM 8/16/24/32-bit or float 32/64, interleaved channels), atomically.
/// Used by the synthetic dataset and by tests that need real files in every encoding.
/// </summary>
internal static class WavWriter
{
    /// <param name="channels">One array per channel, all the same length, samples in [-1, 1].</param>
    public static void Write(string path, int sampleRate, IReadOnlyList<float[]> channels, SampleEncoding encoding = SampleEncoding.Pcm,
        int bitsPerSample = 16, bool extensible = false)
    {
        var bytes = Encode(sampleRate, channels, encoding, bitsPerSample, extensible);
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }

    public static void WriteMono(string path, int sampleRate, float[] samples, SampleEncoding encoding = SampleEncoding.Pcm, int bitsPerSample = 16) =>
        Write(path, sampleRate, [samples], encoding, bitsPerSample);

    public static byte[] Encode(int sampleRate, IReadOnlyList<float[]> channels, SampleEncoding encoding, int bitsPerSample, bool extensible)
    {
        if (channels.Count == 0) throw new ArgumentException("at least one channel is needed");
        var frames = channels[0].Length;
        if (channels.Any(c => c.Length != frames)) throw new ArgumentException("all channels must have the same length");
        var valid = (encoding, bitsPerSample) is (SampleEncoding.Pcm, 8 or 16 or 24 or 32) or (SampleEncoding.Float, 32 or 64);
        if (!valid) throw new ArgumentException($"cannot write {encoding} {bitsPerSample}-bit");
        var bytesPerSample = bitsPerSample / 8;
        var blockAlign = channels.Count * bytesPerSample;
        var fmtSize = extensible ? 40 : 16;
        var dataSize = frames * blockAlign;
        var padded = dataSize + (dataSize & 1);
        var buffer = new byte[12 + 8 + fmtSize + 8 + padded];
        var s = buffer.AsSpan();
        "RIFF"u8.CopyTo(s);
        BinaryPrimitives.WriteUInt32LittleEndian(s[4..], (uint)(buffer.Length - 8));
        "WAVE"u8.CopyTo(s[8..]);
        "fmt "u8.CopyTo(s[12..]);
        BinaryPrimitives.WriteUInt32LittleEndian(s[16..], (uint)fmtSize);
        var fmt = s.Slice(20, fmtSize);
        var tag = (ushort)(encoding == SampleEncoding.Pcm ? 1 : 3);
        BinaryPrimitives.WriteUInt16LittleEndian(fmt, extensible ? (ushort)0xFFFE : tag);
        BinaryPrimitives.WriteUInt16LittleEndian(fmt[2..], (ushort)channels.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(fmt[4..], (uint)sampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(fmt[8..], (uint)(sampleRate * blockAlign));
        BinaryPrimitives.WriteUInt16LittleEndian(fmt[12..], (ushort)blockAlign);
        BinaryPrimitives.WriteUInt16LittleEndian(fmt[14..], (ushort)bitsPerSample);
        if (extensible)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(fmt[16..], 22);
            BinaryPrimitives.WriteUInt16LittleEndian(fmt[18..], (ushort)bitsPerSample);
            BinaryPrimitives.WriteUInt32LittleEndian(fmt[20..], 0); // channel mask: unspecified
            // KSDATAFORMAT_SUBTYPE GUID: the format tag followed by the fixed tail 00000010-8000-00AA00389B71.
            BinaryPrimitives.WriteUInt16LittleEndian(fmt[24..], tag);
            ReadOnlySpan<byte> tail = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];
            tail.CopyTo(fmt[26..]);
        }
        var dataHeader = 20 + fmtSize;
        "data"u8.CopyTo(s[dataHeader..]);
        BinaryPrimitives.WriteUInt32LittleEndian(s[(dataHeader + 4)..], (uint)dataSize);
        var data = s.Slice(dataHeader + 8, dataSize);
        var o = 0;
        for (var i = 0; i < frames; i++)
            foreach (var channel in channels)
            {
                WriteSample(data[o..], channel[i], encoding, bitsPerSample);
                o += bytesPerSample;
            }
        return buffer;
    }

    private static void WriteSample(Span<byte> d, float value, SampleEncoding encoding, int bits)
    {
        if (encoding == SampleEncoding.Float)
        {
            if (bits == 32) BinaryPrimitives.WriteSingleLittleEndian(d, value);
            else BinaryPrimitives.WriteDoubleLittleEndian(d, value);
            return;
        }
        var v = Math.Clamp((double)value, -1.0, 1.0);
        switch (bits)
        {
            case 8: d[0] = (byte)Math.Clamp(Math.Round(v * 128 + 128), 0, 255); break;
            case 16: BinaryPrimitives.WriteInt16LittleEndian(d, (short)Math.Clamp(Math.Round(v * 32768), short.MinValue, short.MaxValue)); break;
            case 24:
                var x = (int)Math.Clamp(Math.Round(v * 8388608), -8388608, 8388607);
                d[0] = (byte)x; d[1] = (byte)(x >> 8); d[2] = (byte)(x >> 16);
                break;
            default: BinaryPrimitives.WriteInt32LittleEndian(d, (int)Math.Clamp(Math.Round(v * 2147483648.0), int.MinValue, int.MaxValue)); break;
        }
    }
}
