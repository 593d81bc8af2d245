using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace AudioPrune.Common;

/// <summary>
/// Writes files so that a reader never sees a half-written one: the content goes to a temporary file in the
/// target's folder, is flushed to disk, and is then renamed over the target (rename is atomic on one file system).
/// Only regular files are written: a target that is a folder, a device, a FIFO or a socket (or a link to one) is
/// refused. A target that is a symbolic link is replaced by the new file, as rename does; what the link pointed to is
/// left alone, so a planted link can never redirect a write to another file. Inside an <see cref="OutputGroup"/> the
/// renames wait until the group commits, so a command with several outputs writes all of them or none.
/// Temporary files are named <c>.NAME.PID.GUID.audioprune.tmp</c>; the first write into a folder removes the ones
/// that processes which are no longer running left behind (killed mid-write).
/// </summary>
internal static partial class AtomicFile
{
    /// <summary>How every temporary file's name ends.</summary>
    public const string TemporarySuffix = ".audioprune.tmp";

    private static readonly ConcurrentDictionary<string, bool> SweptFolders = new(StringComparer.Ordinal);

    public static void Write(string path, Action<Stream> writeContent)
    {
        var target = WritableTarget(path);
        var folder = Path.GetDirectoryName(target)!;
        CreateFolder(folder, path);
        RemoveStaleTemporaries(folder);
        var temporary = Path.Combine(folder, $".{Path.GetFileName(target)}.{Environment.ProcessId}.{Guid.NewGuid():N}{TemporarySuffix}");
        var staged = false;
        try
        {
            using (var stream = OpenForWriting(temporary, path))
            {
                WriteOrReport(stream, writeContent, path);
            }
            if (OutputGroup.Current is { } group)
            {
                group.Stage(temporary, target, path);
                staged = true;
            }
            else
            {
                Rename(temporary, target, path);
            }
        }
        finally
        {
            if (!staged && File.Exists(temporary)) File.Delete(temporary);
        }
    }

    public static void WriteAllText(string path, string text) =>
        Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), leaveOpen: true);
            writer.Write(text);
        });

    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        var copy = bytes.ToArray();
        Write(path, stream => stream.Write(copy));
    }

    /// <summary>The absolute path a write of <paramref name="path"/> replaces; refuses targets that are not regular files, naming the path the user gave.</summary>
    internal static string WritableTarget(string path)
    {
        var kind = FileEntry.KindOf(path);
        if (kind == FileKind.Directory) throw UserInputException.InFile(path, "is a folder; give a file name to write");
        if (kind is not (FileKind.Regular or FileKind.Missing))
            throw UserInputException.InFile(path, $"is {FileEntry.Describe(kind)}; outputs are written only to regular files");
        return Path.GetFullPath(path);
    }

    /// <summary>Renames a finished temporary file over its target, checking again that the target is still a regular file (or absent).</summary>
    internal static void Rename(string temporary, string target, string path)
    {
        WritableTarget(target);
        try
        {
            File.Move(temporary, target, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw UserInputException.InFile(path, $"cannot write the file: {Reason(e, temporary)}");
        }
    }

    private static void WriteOrReport(FileStream stream, Action<Stream> writeContent, string path)
    {
        try
        {
            writeContent(stream);
            stream.Flush(flushToDisk: true);
        }
        catch (IOException e)
        {
            throw UserInputException.InFile(path, $"cannot write the file: {Reason(e, stream.Name)}");
        }
    }

    /// <summary>The system's reason without the temporary file's name, which the user never gave.</summary>
    private static string Reason(Exception e, string temporary) =>
        e.Message.Replace($" : '{temporary}'", "").Replace(temporary, "").ReplaceLineEndings(" ").Trim().TrimEnd('.', ':', ' ');

    private static void CreateFolder(string folder, string target)
    {
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw UserInputException.InFile(target, $"cannot create its folder {folder} ({e.Message.ReplaceLineEndings(" ")})");
        }
    }

    /// <summary>Opens the temporary file; a folder that refuses files is reported against the target the user named.</summary>
    private static FileStream OpenForWriting(string temporary, string target)
    {
        try
        {
            return new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var reason = e is UnauthorizedAccessException ? "permission denied" : "the folder does not accept new files";
            throw UserInputException.InFile(target, $"cannot write the file: {reason}");
        }
    }

    /// <summary>Once per folder and process: deletes temporary files whose writing process is no longer running.</summary>
    private static void RemoveStaleTemporaries(string folder)
    {
        if (!SweptFolders.TryAdd(folder, true)) return;
        try
        {
            foreach (var file in Directory.EnumerateFiles(folder, ".*.tmp"))
            {
                var match = TemporaryName().Match(Path.GetFileName(file));
                if (match.Success && int.TryParse(match.Groups["pid"].Value, out var pid) && !IsRunning(pid)) File.Delete(file);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Cleaning up is a courtesy: a folder that cannot be listed or a file that cannot be removed is left as it is.
        }
    }

    private static bool IsRunning(int pid)
    {
        if (pid == Environment.ProcessId) return true;
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>This program's temporary names, today's and the earlier ones without the program's name.</summary>
    [GeneratedRegex(@"^\..+\.(?<pid>\d+)\.[0-9a-f]{32}(\.audioprune)?\.tmp$")]
    private static partial Regex TemporaryName();
}
