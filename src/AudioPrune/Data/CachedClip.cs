using System.Buffers.Binary;

namespace AudioPrune.Data;

/// <summary>
/// One recording's entry in the feature cache: a file of raw little-endian float32 examples after a
/// 64-byte header (magic, version, example count and size, source duration, rate and channels), so the
/// examples can be memory-mapped directly.
/// </summary>
public sealed record CachedClip(string CachePath, int ExampleCount, int ExampleElements, double DurationSeconds, int SourceSampleRate, int SourceChannels)
{
    public const int HeaderBytes = 64;
    private const int Version = 1;
    private static ReadOnlySpan<byte> Magic => "APFC"u8;

    public static void Write(Stream stream, float[][] examples, int exampleElements, double duration, int sourceRate, int sourceChannels)
    {
        var header = new byte[HeaderBytes];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(4), Version);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(8), examples.Length);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(12), exampleElements);
        BinaryPrimitives.WriteDoubleLittleEndian(header.AsSpan(16), duration);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(24), sourceRate);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(28), sourceChannels);
        stream.Write(header);
        foreach (var example in examples)
        {
            if (example.Length != exampleElements) throw new ArgumentException("examples of one clip must have the same size");
            if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("the feature cache is little-endian");
            stream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(example.AsSpan()));
        }
    }

    /// <summary>Reads and checks a cache file's header; null if it is missing, foreign, or not the length the header implies.</summary>
    public static CachedClip? TryOpen(string path, int exampleElements)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            Span<byte> header = stackalloc byte[HeaderBytes];
            if (stream.ReadAtLeast(header, HeaderBytes, throwOnEndOfStream: false) < HeaderBytes) return null;
            if (!header[..4].SequenceEqual(Magic) || BinaryPrimitives.ReadInt32LittleEndian(header[4..]) != Version) return null;
            var count = BinaryPrimitives.ReadInt32LittleEndian(header[8..]);
            var elements = BinaryPrimitives.ReadInt32LittleEndian(header[12..]);
            if (count < 0 || elements != exampleElements || stream.Length != HeaderBytes + 4L * count * elements) return null;
            return new CachedClip(path, count, elements, BinaryPrimitives.ReadDoubleLittleEndian(header[16..]),
                BinaryPrimitives.ReadInt32LittleEndian(header[24..]), BinaryPrimitives.ReadInt32LittleEndian(header[28..]));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public long Offset(int example) => HeaderBytes + 4L * example * ExampleElements;
}
