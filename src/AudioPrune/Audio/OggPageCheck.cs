using System.Buffers.Binary;
using AudioPrune.Common;

namespace AudioPrune.Audio;

/// <summary>
/// Checks the page structure of an Ogg file before it reaches the decoder: every page starts with "OggS",
/// version 0, its segment table and body lie inside the file, and its CRC-32 matches. NVorbis resynchronises
/// on damaged pages and can loop without end on some; a damaged or truncated file is refused here instead.
/// The header packets of every logical stream are checked too: a Vorbis identification header must declare
/// version 0, 1 to <see cref="InputLimits.MaxOggChannels"/> channels, a sample rate within <see cref="InputLimits"/>, block sizes 2^6..2^13 (the
/// short no larger than the long) and its framing bit (NVorbis loops without end on a bad block size), and a
/// comment header's declared lengths must fit in it (NVorbis allocates whatever length a header claims).
/// </summary>
internal static class OggPageCheck
{
    private const int HeaderSize = 27;
    private const int IdentificationLength = 30;
    private static readonly uint[] Table = BuildTable();

    public static void Ensure(ReadOnlySpan<byte> file, string path)
    {
        var position = 0;
        var page = 0;
        while (position < file.Length)
        {
            var length = PageLength(file[position..]);
            if (length < 0)
                throw UserInputException.InFile(path, $"damaged or truncated Ogg file: page {page} at byte {position} is malformed or cut short");
            var stored = BinaryPrimitives.ReadUInt32LittleEndian(file[(position + 22)..]);
            if (stored != Crc(file.Slice(position, length)))
                throw UserInputException.InFile(path, $"damaged Ogg file: page {page} at byte {position} fails its checksum");
            position += length;
            page++;
        }
        if (page == 0) throw UserInputException.InFile(path, "the Ogg file holds no pages");
        var streams = HeaderPackets(file, path);
        for (var i = 0; i < streams.Count; i++) CheckHeaders(streams[i], i + 1, path);
    }

    /// <summary>Refuses a stream whose Vorbis identification or comment header is damaged; <paramref name="number"/> counts streams from 1.</summary>
    private static void CheckHeaders(List<byte[]> packets, int number, string path)
    {
        var first = packets.Count > 0 ? packets[0] : [];
        if (!first.AsSpan().StartsWith("\u0001vorbis"u8))
        {
            if (number == 1) throw UserInputException.InFile(path, "the first Ogg stream is not Vorbis (only OGG Vorbis is supported)");
            return; // another codec's stream beside the Vorbis one: the decoder ignores it
        }
        if (IdentificationProblem(first) is { } problem)
            throw UserInputException.InFile(path, $"damaged Vorbis identification header (stream {number}): {problem}");
        if (packets.Count > 1 && !CommentLengthsFit(packets[1]))
            throw UserInputException.InFile(path, $"damaged Vorbis comment header (stream {number}): a declared length runs past the end of the header");
    }

    /// <summary>What is wrong with a Vorbis identification header, or null when it is valid.</summary>
    private static string? IdentificationProblem(ReadOnlySpan<byte> header)
    {
        if (header.Length < IdentificationLength) return $"{header.Length} bytes, {IdentificationLength} are needed";
        var version = BinaryPrimitives.ReadUInt32LittleEndian(header[7..]);
        if (version != 0) return $"version {version}, only 0 exists";
        if (header[11] is 0 or > InputLimits.MaxOggChannels) return $"{header[11]} channels (supported: 1 to {InputLimits.MaxOggChannels})";
        var rate = BinaryPrimitives.ReadUInt32LittleEndian(header[12..]);
        if (rate is < InputLimits.MinSampleRate or > InputLimits.MaxSampleRate)
            return $"unsupported sample rate {rate} Hz (supported: {InputLimits.MinSampleRate:N0} to {InputLimits.MaxSampleRate:N0} Hz)";
        int small = header[28] & 0x0F, large = header[28] >> 4;
        if (small is < 6 or > 13 || large is < 6 or > 13 || small > large)
            return $"block size exponents {small} and {large} (each must be 6..13, the first no larger than the second)";
        if ((header[29] & 1) == 0) return "the framing bit is not set";
        return null;
    }

    /// <summary>
    /// The first two packets (identification and comment headers) of each logical stream, in order of appearance,
    /// reassembled from the pages' segments by serial number. More than <see cref="InputLimits.MaxOggStreams"/> streams are refused.
    /// </summary>
    private static List<List<byte[]>> HeaderPackets(ReadOnlySpan<byte> file, string path)
    {
        var streams = new Dictionary<uint, (List<byte[]> Packets, List<byte> Current)>();
        var order = new List<List<byte[]>>();
        for (var position = 0; position < file.Length;)
        {
            var length = PageLength(file[position..]);
            var serial = BinaryPrimitives.ReadUInt32LittleEndian(file[(position + 14)..]);
            if (!streams.TryGetValue(serial, out var stream))
            {
                if (streams.Count == InputLimits.MaxOggStreams) throw UserInputException.InFile(path, $"the Ogg file holds more than {InputLimits.MaxOggStreams} logical streams");
                streams[serial] = stream = ([], []);
                order.Add(stream.Packets);
            }
            var segments = file.Slice(position + HeaderSize, file[position + 26]);
            var body = position + HeaderSize + segments.Length;
            foreach (var lacing in segments)
            {
                if (stream.Packets.Count >= 2) break;
                stream.Current.AddRange(file.Slice(body, lacing));
                body += lacing;
                if (lacing < 255)
                {
                    stream.Packets.Add([.. stream.Current]);
                    stream.Current.Clear();
                }
            }
            position += length;
        }
        return order;
    }

    private static bool CommentLengthsFit(ReadOnlySpan<byte> header)
    {
        if (header.Length < 7 || header[0] != 3) return true; // not a comment header: the decoder reports what it is
        var rest = header[7..];
        if (!Skip(ref rest)) return false;
        if (rest.Length < 4) return false;
        var count = BinaryPrimitives.ReadUInt32LittleEndian(rest);
        rest = rest[4..];
        if (count > rest.Length / 4) return false;
        for (var i = 0; i < count; i++)
            if (!Skip(ref rest)) return false;
        return true;
    }

    /// <summary>Skips one length-prefixed string; false when its declared length runs past the end.</summary>
    private static bool Skip(ref ReadOnlySpan<byte> rest)
    {
        if (rest.Length < 4) return false;
        var length = BinaryPrimitives.ReadUInt32LittleEndian(rest);
        if (length > rest.Length - 4) return false;
        rest = rest[(4 + (int)length)..];
        return true;
    }

    /// <summary>The length of the page at the start of <paramref name="data"/>, or -1 when it is not a complete page.</summary>
    public static int PageLength(ReadOnlySpan<byte> data)
    {
        if (data.Length < HeaderSize || !data[..4].SequenceEqual("OggS"u8) || data[4] != 0) return -1;
        var segments = data[26];
        if (data.Length < HeaderSize + segments) return -1;
        var body = 0;
        foreach (var lacing in data.Slice(HeaderSize, segments)) body += lacing;
        var length = HeaderSize + segments + body;
        return length <= data.Length ? length : -1;
    }

    /// <summary>The Ogg CRC-32 (polynomial 0x04C11DB7, not reflected, initial value 0) with the checksum field read as zero.</summary>
    public static uint Crc(ReadOnlySpan<byte> page)
    {
        uint crc = 0;
        for (var i = 0; i < page.Length; i++)
        {
            var b = i is >= 22 and < 26 ? (byte)0 : page[i];
            crc = (crc << 8) ^ Table[(byte)(crc >> 24) ^ b];
        }
        return crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            var r = i << 24;
            for (var bit = 0; bit < 8; bit++) r = (r & 0x80000000) != 0 ? (r << 1) ^ 0x04C11DB7 : r << 1;
            table[i] = r;
        }
        return table;
    }
}
