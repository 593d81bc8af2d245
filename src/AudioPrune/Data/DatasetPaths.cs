using AudioPrune.Common;

namespace AudioPrune.Data;

/// <summary>
/// Resolves file names from dataset metadata. A manifest is untrusted: an absolute path, a '..' that leaves
/// the dataset root, or a symbolic link out of it, is refused with an error naming the manifest and line.
/// </summary>
internal static class DatasetPaths
{
    public static DatasetEntry Entry(string root, string relative, string label, string source, int line,
        string? split = null, int? fold = null, string? group = null)
    {
        var full = Resolve(root, relative, source, line);
        var normalised = Path.GetRelativePath(root, full).Replace('\\', '/');
        if (label.Length == 0) throw UserInputException.InFile(source, $"line {line}: empty label for '{relative}'");
        return new DatasetEntry(normalised, full, label, split, fold, group);
    }

    public static string Resolve(string root, string relative, string source, int line)
    {
        if (relative.Length == 0) throw UserInputException.InFile(source, $"line {line}: empty file name");
        if (Path.IsPathRooted(relative) || relative.StartsWith('/') || relative.StartsWith('\\') || relative.Contains(':'))
            throw UserInputException.InFile(source, $"line {line}: '{relative}' is an absolute path; file names must be relative to the dataset root {root}");
        var rootFull = Path.GetFullPath(root);
        var full = Path.GetFullPath(Path.Combine(rootFull, relative.Replace('\\', '/')));
        if (!FileEntry.IsInside(rootFull, full))
            throw UserInputException.InFile(source, $"line {line}: '{relative}' points outside the dataset root {rootFull}");
        var target = FileEntry.RealPath(full);
        if (!FileEntry.IsInside(FileEntry.RealPath(rootFull), target))
            throw UserInputException.InFile(source, $"line {line}: '{relative}' leads through a symbolic link to {target}, outside the dataset root {rootFull}");
        return full;
    }
}
