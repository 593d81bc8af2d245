using AudioPrune.Audio;

namespace AudioPrune.Data.Layouts;

/// <summary>One sub-folder per class holding audio files (searched recursively); the folder name is the label.</summary>
public sealed class ClassFolderLayout : IDatasetLayout
{
    public string Name => "class-folders";
    public string Signature => "one sub-folder of audio files (.wav, .ogg, .oga) per class";

    public bool Matches(string path) => Directory.Exists(path) && ClassFolders(path).Any();

    public DatasetDescription Read(string root)
    {
        var entries = new List<DatasetEntry>();
        foreach (var folder in ClassFolders(root))
        {
            var label = Path.GetFileName(folder);
            foreach (var file in AudioFiles(folder).Order(StringComparer.Ordinal))
                entries.Add(DatasetPaths.Entry(root, Path.GetRelativePath(root, file), label, root, 0));
        }
        return new DatasetDescription(Name, root, entries);
    }

    private static IEnumerable<string> ClassFolders(string root) =>
        Directory.EnumerateDirectories(root).Where(d => !Path.GetFileName(d).StartsWith('.') && AudioFiles(d).Any()).Order(StringComparer.Ordinal);

    private static IEnumerable<string> AudioFiles(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Where(f => AudioDecoder.AudioExtensions.Contains(Path.GetExtension(f)));
}
