using AudioPrune.Common;

namespace AudioPrune.Data;

/// <summary>
/// Lists the files under a folder of a dataset without leaving the dataset or going round in circles. Symbolic links
/// (to files or folders) are followed only when what they point to lies inside the dataset root (all links of the
/// path resolved); a link that leads out of it is refused, naming the link and its target. Each real folder is
/// visited once, so a link back to a folder above it ends the walk there instead of looping, and each real file is
/// listed once, under the first path that reaches it in ordinal order.
/// </summary>
internal static class DatasetWalk
{
    /// <summary>The files under <paramref name="folder"/> (inside <paramref name="root"/>) whose names <paramref name="include"/> accepts, in ordinal order, each with its real path.</summary>
    public static IReadOnlyList<(string Path, string RealPath)> Files(string root, string folder, Func<string, bool> include)
    {
        var realRoot = FileEntry.RealPath(root);
        var visited = new HashSet<string>(StringComparer.Ordinal);
        var found = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var pending = new Stack<string>();
        pending.Push(folder);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            if (!visited.Add(Inside(realRoot, root, current))) continue;
            foreach (var entry in Directory.EnumerateFileSystemEntries(current))
            {
                var real = Inside(realRoot, root, entry);
                var kind = FileEntry.KindOf(entry);
                if (kind == FileKind.Directory) pending.Push(entry);
                else if (include(entry)) found[entry] = real;
            }
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return found.Where(f => seen.Add(f.Value)).Select(f => (f.Key, f.Value)).ToList();
    }

    /// <summary>The real path of <paramref name="path"/>, refused when its links lead out of the dataset root.</summary>
    private static string Inside(string realRoot, string root, string path)
    {
        var real = FileEntry.RealPath(path);
        if (!FileEntry.IsInside(realRoot, real))
            throw UserInputException.InFile(path, $"is a symbolic link to {real}, outside the dataset folder {root}; links are followed only inside it");
        return real;
    }
}
