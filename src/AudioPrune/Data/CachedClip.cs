using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace AudioPrune.Data;

/// <summary>
/// One recording's entry in the feature cache: a file of raw little-endian float32 examples after a 64-byte
/// header, so the examples can be memory-mapped directly. The header holds the magic, version, example count and
/// size, source duration, rate and channels, then three XxHash64 checksums: of the source stamp (the audio file's
/// identity and the front-end settings that made the entry), of the examples, and of the header itself.
/// An entry is read in full and checked when it is opened; <see cref="HasContent"/> checks the bytes again
/// where they are used (the memory map), so an entry changed after opening is never used either.
/// </summary>
internal sealed record CachedClip(string CachePath, string AudioPath, int ExampleCount, int ExampleElements, double DurationSeconds,
    int SourceSampleRate, int SourceChannels, ulong ContentHash)
{
    public const int HeaderBytes = 64;
    private const int Version = 2;
    private const int StampAt = 32, ContentHashAt = 40, HeaderHashAt = 48;
    private static ReadOnlySpan<byte> Magic => "APFC"u8;

    /// <summary>The number of data bytes after the header.</summary>
    public long DataBytes => 4L * ExampleCount * ExampleElements;

    public long Offset(int example) => HeaderBytes + 4L * example * ExampleElements;

    /// <summary>The stamp of an entry: a hash of the text naming its source file and settings.</summary>
    public static ulong Stamp(string identity) => XxHash64.HashToUInt64(System.Text.Encoding.UTF8.GetBytes(identity));

    public static void Write(Stream stream, float[][] examples, int exampleElements, double duration, int sourceRate, int sourceChannels, ulong stamp)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("the feature cache is little-endian");
        var content = new XxHash64();
        foreach (var example in examples)
        {
            if (example.Length != exampleElements) throw new ArgumentException("examples of one clip must have the same size");
            content.Append(MemoryMarshal.AsBytes(example.AsSpan()));
        }
        var header = new byte[HeaderBytes];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(4), Version);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(8), examples.Length);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(12), exampleElements);
        BinaryPrimitives.WriteDoubleLittleEndian(header.AsSpan(16), duration);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(24), sourceRate);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(28), sourceChannels);
        BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(StampAt), stamp);
        BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(ContentHashAt), content.GetCurrentHashAsUInt64());
        BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(HeaderHashAt), HeaderHash(header));
        stream.Write(header);
        foreach (var example in examples) stream.Write(MemoryMarshal.AsBytes(example.AsSpan()));
    }

    /// <summary>
    /// Opens and checks the entry at <paramref name="path"/>. Missing, or written by an older version (no checksum):
    /// no clip and no damage (it is simply computed). Anything else that is not exactly what <paramref name="stamp"/>
    /// and its own checksums say: no clip, and the damage in words.
    /// </summary>
    public static (CachedClip? Clip, string? Damage) Open(string path, string audioPath, int exampleElements, ulong stamp)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return Read(stream, path, audioPath, exampleElements, stamp);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return (null, null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, $"unreadable ({e.Message.ReplaceLineEndings(" ")})");
        }
    }

    private static (CachedClip? Clip, string? Damage) Read(FileStream stream, string path, string audioPath, int exampleElements, ulong stamp)
    {
        var header = new byte[HeaderBytes];
        if (stream.ReadAtLeast(header, HeaderBytes, throwOnEndOfStream: false) < HeaderBytes) return (null, $"truncated ({stream.Length} bytes, shorter than its header)");
        if (!header.AsSpan(0, 4).SequenceEqual(Magic)) return (null, "not a feature-cache entry");
        if (BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(4)) < Version) return (null, null);
        if (BinaryPrimitives.ReadUInt64LittleEndian(header.AsSpan(HeaderHashAt)) != HeaderHash(header)) return (null, "its header does not match its checksum");
        if (BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(4)) != Version) return (null, "written by a newer version");
        if (BinaryPrimitives.ReadUInt64LittleEndian(header.AsSpan(StampAt)) != stamp) return (null, "made from another audio file or other front-end settings");
        var clip = new CachedClip(path, audioPath, BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(8)), BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(12)),
            BinaryPrimitives.ReadDoubleLittleEndian(header.AsSpan(16)), BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(24)),
            BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(28)), BinaryPrimitives.ReadUInt64LittleEndian(header.AsSpan(ContentHashAt)));
        if (clip.ExampleCount < 1 || clip.ExampleElements != exampleElements) return (null, $"holds {clip.ExampleCount} examples of {clip.ExampleElements} values, not of {exampleElements}");
        if (stream.Length != HeaderBytes + clip.DataBytes) return (null, $"{stream.Length} bytes where its header implies {HeaderBytes + clip.DataBytes}");
        var content = new XxHash64();
        content.Append(stream);
        return content.GetCurrentHashAsUInt64() == clip.ContentHash ? (clip, null) : (null, "its examples do not match their checksum");
    }

    /// <summary>Checks the <paramref name="length"/> bytes at <paramref name="data"/> (those after the header, as mapped) against the checksum read when the entry was opened.</summary>
    public unsafe bool HasContent(byte* data, long length)
    {
        if (length != DataBytes) return false;
        var hash = new XxHash64();
        for (long done = 0; done < length; done += int.MaxValue)
            hash.Append(new ReadOnlySpan<byte>(data + done, (int)Math.Min(int.MaxValue, length - done)));
        return hash.GetCurrentHashAsUInt64() == ContentHash;
    }

    /// <summary>The header's checksum: every header byte except the checksum's own eight.</summary>
    private static ulong HeaderHash(ReadOnlySpan<byte> header)
    {
        var hash = new XxHash64();
        hash.Append(header[..HeaderHashAt]);
        hash.Append(header[(HeaderHashAt + 8)..]);
        return hash.GetCurrentHashAsUInt64();
    }
}
