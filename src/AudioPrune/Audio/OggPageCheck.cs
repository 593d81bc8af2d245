using System.Buffers.Binary;
using AudioPrune.Common;

namespace AudioPrune.Audio;

/// <summary>
/// Checks the page structure of an Ogg file before it reaches the decoder: every page starts with "OggS",
/// version 0, its segment table and body lie inside the file, and its CRC-32 matches. NVorbis resynchronises
/// on damaged pages and can loop without end on some; a damaged or truncated file is refused here instead.
/// The comment header's declared lengths are checked too: NVorbis allocates whatever length a header claims.
/// </summary>
public static class OggPageCheck
{
    private const int HeaderSize = 27;
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
        if (!CommentLengthsFit(SecondPacket(file)))
            throw UserInputException.InFile(path, "damaged Vorbis comment header: a declared length runs past the end of the header");
    }

    /// <summary>The second packet of the (first) logical stream, reassembled from the pages' segments: the comment header.</summary>
    private static byte[] SecondPacket(ReadOnlySpan<byte> file)
    {
        var packet = new List<byte>();
        var packets = 0;
        for (var position = 0; position < file.Length;)
        {
            var length = PageLength(file[position..]);
            var segments = file.Slice(position + HeaderSize, file[position + 26]);
            var body = position + HeaderSize + segments.Length;
            foreach (var lacing in segments)
            {
                if (packets == 1) packet.AddRange(file.Slice(body, lacing));
                body += lacing;
                if (lacing < 255 && ++packets == 2) return [.. packet];
            }
            position += length;
        }
        return [.. packet];
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
