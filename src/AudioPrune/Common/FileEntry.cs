using System.Runtime.InteropServices;

namespace AudioPrune.Common;

/// <summary>What a path names, as the operating system sees it.</summary>
internal enum FileKind
{
    Missing,
    Regular,
    Directory,
    SymbolicLink,
    Fifo,
    CharacterDevice,
    BlockDevice,
    Socket,
    Other,
}

/// <summary>The file an entry is (device and inode on Linux): two paths with the same identity are one file.</summary>
internal readonly record struct FileIdentity(ulong Device, ulong Inode);

/// <summary>
/// File types, identities and real paths. .NET reports neither the type of a special file (a FIFO, a device, a
/// socket) nor a file's inode, and resolves symbolic links one component at a time, so on Linux this asks the
/// kernel directly (statx, realpath); elsewhere it falls back to what .NET reports. Every path is first made
/// absolute the way .NET opens it (<see cref="Path.GetFullPath(string)"/>), so these answers are about the file a
/// .NET read or write of the same path reaches.
/// </summary>
internal static partial class FileEntry
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1;
    private const uint StatxIno = 0x100;
    private const uint StatxSize = 0x200;
    private const int StatxBufferSize = 256;

    /// <summary>Linux with a C library that has statx (glibc 2.28 and later, musl 1.2.5 and later); elsewhere what .NET reports.</summary>
    private static readonly bool NativeCalls = OperatingSystem.IsLinux() && HasStatx();

    /// <summary>The kind of entry at <paramref name="path"/>; with <paramref name="followLinks"/> false a link is reported as a link.</summary>
    public static FileKind KindOf(string path, bool followLinks = true)
    {
        if (!NativeCalls) return ManagedKind(path, followLinks);
        return Stat(path, followLinks) is { } stat ? stat.Kind : FileKind.Missing;
    }

    /// <summary>The identity of the file at <paramref name="path"/> (links followed), or null when nothing is there.</summary>
    public static FileIdentity? IdentityOf(string path)
    {
        if (!NativeCalls) return null;
        return Stat(path, followLinks: true)?.Identity;
    }

    /// <summary>
    /// The absolute path with every symbolic link resolved, in every component. '.' and '..' are first taken by name,
    /// as .NET does for every path it opens. For a path that does not exist (yet), the longest existing prefix is
    /// resolved and the rest appended, which is where a write would land.
    /// </summary>
    public static string RealPath(string path)
    {
        var full = Path.GetFullPath(path);
        if (!NativeCalls) return full;
        var missing = new Stack<string>();
        var existing = full;
        while (true)
        {
            if (ResolveExisting(existing) is { } real)
            {
                foreach (var part in missing) real = Path.Combine(real, part);
                return real;
            }
            var parent = Path.GetDirectoryName(existing);
            if (parent is null) return full;
            missing.Push(Path.GetFileName(existing));
            existing = parent;
        }
    }

    /// <summary>Whether <paramref name="path"/> is <paramref name="folder"/> or lies below it (compare real paths).</summary>
    public static bool IsInside(string folder, string path) =>
        path == folder || path.StartsWith(folder.EndsWith(Path.DirectorySeparatorChar) ? folder : folder + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    /// <summary>A word for the kind, as error messages use it ("a FIFO", "a character device").</summary>
    public static string Describe(FileKind kind) => kind switch
    {
        FileKind.Regular => "a regular file",
        FileKind.Directory => "a folder",
        FileKind.SymbolicLink => "a symbolic link",
        FileKind.Fifo => "a FIFO (named pipe)",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        FileKind.Socket => "a socket",
        FileKind.Missing => "missing",
        _ => "a special file",
    };

    /// <summary>The size in bytes of the file at <paramref name="path"/> (links followed), or null when nothing is there.</summary>
    public static long? SizeOf(string path) =>
        NativeCalls ? Stat(path, followLinks: true)?.Size : File.Exists(path) ? new FileInfo(path).Length : null;

    private readonly record struct StatResult(FileKind Kind, FileIdentity Identity, long Size);

    private static StatResult? Stat(string path, bool followLinks)
    {
        Span<byte> buffer = stackalloc byte[StatxBufferSize];
        int result;
        unsafe
        {
            fixed (byte* pointer = buffer)
                result = statx(AtFdCwd, Path.GetFullPath(path), followLinks ? 0 : AtSymlinkNoFollow, StatxType | StatxIno | StatxSize, pointer);
        }
        if (result != 0) return null;
        var mode = BitConverter.ToUInt16(buffer[28..30]);
        var inode = BitConverter.ToUInt64(buffer[32..40]);
        var size = BitConverter.ToInt64(buffer[40..48]);
        var device = ((ulong)BitConverter.ToUInt32(buffer[136..140]) << 32) | BitConverter.ToUInt32(buffer[140..144]);
        return new StatResult(KindFromMode(mode), new FileIdentity(device, inode), size);
    }

    private static FileKind KindFromMode(ushort mode) => (mode & 0xF000) switch
    {
        0x8000 => FileKind.Regular,
        0x4000 => FileKind.Directory,
        0xA000 => FileKind.SymbolicLink,
        0x1000 => FileKind.Fifo,
        0x2000 => FileKind.CharacterDevice,
        0x6000 => FileKind.BlockDevice,
        0xC000 => FileKind.Socket,
        _ => FileKind.Other,
    };

    private static string? ResolveExisting(string path)
    {
        var pointer = realpath(path, IntPtr.Zero);
        if (pointer == IntPtr.Zero) return null;
        try
        {
            return Marshal.PtrToStringUTF8(pointer);
        }
        finally
        {
            free(pointer);
        }
    }

    private static bool HasStatx()
    {
        try
        {
            return Stat("/", followLinks: true) is not null;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
        catch (DllNotFoundException)
        {
            return false;
        }
    }

    private static FileKind ManagedKind(string path, bool followLinks)
    {
        var info = new FileInfo(path);
        if (!followLinks && info.LinkTarget is not null) return FileKind.SymbolicLink;
        if (Directory.Exists(path)) return FileKind.Directory;
        return File.Exists(path) ? FileKind.Regular : FileKind.Missing;
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int statx(int directory, string path, int flags, uint mask, byte* buffer);

    [LibraryImport("libc", EntryPoint = "realpath", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr realpath(string path, IntPtr resolved);

    [LibraryImport("libc", EntryPoint = "free")]
    private static partial void free(IntPtr pointer);
}
