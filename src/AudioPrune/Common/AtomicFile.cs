namespace AudioPrune.Common;

/// <summary>
/// Writes files so that a reader never sees a half-written one: the content goes to a temporary file in
/// the same folder, is flushed to disk, and is then renamed over the target (rename is atomic on one file system).
/// </summary>
public static class AtomicFile
{
    public static void Write(string path, Action<Stream> writeContent)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full)) throw UserInputException.InFile(path, "is a folder; give a file name to write");
        var folder = Path.GetDirectoryName(full)!;
        CreateFolder(folder, path);
        var temporary = Path.Combine(folder, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = OpenForWriting(temporary, path))
            {
                writeContent(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

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
}
