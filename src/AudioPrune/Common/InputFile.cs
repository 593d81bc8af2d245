namespace AudioPrune.Common;

/// <summary>
/// Opens files the user gave for reading. Only regular files are opened (links followed): a FIFO would block the
/// program forever, a device can stream without end, and a folder is not a file, so each is refused, before
/// anything is opened, with a one-line error naming the path. Whole-file reads are capped: a file larger than the
/// reader's limit is refused before it is read.
/// </summary>
internal static class InputFile
{
    /// <summary>Checks that <paramref name="path"/> names an existing regular file; <paramref name="what"/> names it in the error ("model file").</summary>
    public static void Check(string path, string what = "file")
    {
        var kind = FileEntry.KindOf(path);
        switch (kind)
        {
            case FileKind.Regular:
                return;
            case FileKind.Missing:
                throw UserInputException.InFile(path, FileEntry.KindOf(path, followLinks: false) == FileKind.SymbolicLink
                    ? $"{what} not found (a symbolic link to nothing)"
                    : $"{what} not found");
            case FileKind.Directory:
                throw UserInputException.InFile(path, $"is a folder, not {WithArticle(what)}");
            default:
                throw UserInputException.InFile(path, $"is {FileEntry.Describe(kind)}, not {WithArticle(what)}; give a regular file");
        }
    }

    /// <summary>Opens a checked regular file for reading.</summary>
    public static FileStream OpenRead(string path, string what = "file")
    {
        Check(path, what);
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16);
    }

    /// <summary>Reads a whole checked regular file of at most <paramref name="maxBytes"/> bytes.</summary>
    public static byte[] ReadAllBytes(string path, long maxBytes, string what = "file")
    {
        using var stream = OpenRead(path, what);
        var length = stream.Length;
        if (length > maxBytes)
            throw UserInputException.InFile(path, $"is {length:N0} bytes; {WithArticle(what)} may be at most {maxBytes:N0} bytes");
        var bytes = new byte[length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>Reads a whole checked regular file of at most <paramref name="maxBytes"/> bytes as UTF-8 text.</summary>
    public static string ReadAllText(string path, long maxBytes, string what = "file")
    {
        var bytes = ReadAllBytes(path, maxBytes, what);
        using var reader = new StreamReader(new MemoryStream(bytes), System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    private static string WithArticle(string noun) => ("aeiou".Contains(char.ToLowerInvariant(noun[0])) ? "an " : "a ") + noun;
}
