using AudioPrune.Audio;
using AudioPrune.Common;

namespace AudioPrune.Data.Layouts;

/// <summary>
/// One sub-folder per class holding audio files (searched recursively, see <see cref="DatasetWalk"/> for links); the
/// folder name is the label. A file reached through links from two class folders would have two labels, so it is refused.
/// </summary>
internal sealed class ClassFolderLayout : IDatasetLayout
{
    public string Name => "class-folders";
    public string Signature => "one sub-folder of audio files (.wav, .ogg, .oga) per class";

    public bool Matches(string path) => Directory.Exists(path) && ClassFolders(path).Any();

    public DatasetDescription Read(string root)
    {
        var entries = new List<DatasetEntry>();
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var folder in ClassFolders(root))
        {
            var label = Path.GetFileName(folder);
            foreach (var (file, real) in AudioFiles(root, folder))
            {
                if (owners.TryGetValue(real, out var first))
                    throw UserInputException.InFile(file, $"is the same file as {first} (through a link); a recording can have only one label");
                owners[real] = file;
                entries.Add(DatasetPaths.Entry(root, Path.GetRelativePath(root, file), label, root, 0));
            }
        }
        return new DatasetDescription(Name, root, entries);
    }

    private static IEnumerable<string> ClassFolders(string root) =>
        Directory.EnumerateDirectories(root).Where(d => !Path.GetFileName(d).StartsWith('.') && AudioFiles(root, d).Count > 0).Order(StringComparer.Ordinal);

    private static IReadOnlyList<(string Path, string RealPath)> AudioFiles(string root, string folder) =>
        DatasetWalk.Files(root, folder, f => AudioDecoder.AudioExtensions.Contains(Path.GetExtension(f)));
}
