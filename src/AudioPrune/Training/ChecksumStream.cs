using System.Buffers.Binary;
using System.IO.Hashing;

namespace AudioPrune.Training;

/// <summary>
/// A write-only stream that passes everything to the stream under it and hashes it (XxHash64);
/// <see cref="WriteChecksum"/> then appends the 8-byte checksum. <see cref="Verify"/> checks a file written so.
/// </summary>
internal sealed class ChecksumStream(Stream inner) : Stream
{
    public const int ChecksumBytes = 8;
    private readonly XxHash64 hash = new();

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        hash.Append(buffer);
        inner.Write(buffer);
    }

    public override void WriteByte(byte value) => Write([value]);

    /// <summary>Appends the checksum of everything written so far (not itself hashed).</summary>
    public void WriteChecksum()
    {
        Span<byte> checksum = stackalloc byte[ChecksumBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(checksum, hash.GetCurrentHashAsUInt64());
        inner.Write(checksum);
    }

    /// <summary>Whether the stream's content (from the start) ends with the checksum of everything before it; leaves the position at the start.</summary>
    public static bool Verify(Stream stream)
    {
        if (stream.Length < ChecksumBytes) return false;
        stream.Position = 0;
        var content = new XxHash64();
        var buffer = new byte[1 << 16];
        for (var left = stream.Length - ChecksumBytes; left > 0;)
        {
            var read = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
            if (read == 0) return false;
            content.Append(buffer.AsSpan(0, read));
            left -= read;
        }
        Span<byte> stored = stackalloc byte[ChecksumBytes];
        stream.ReadExactly(stored);
        stream.Position = 0;
        return BinaryPrimitives.ReadUInt64LittleEndian(stored) == content.GetCurrentHashAsUInt64();
    }

    public override void Flush() => inner.Flush();
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
