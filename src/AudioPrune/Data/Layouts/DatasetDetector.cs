using AudioPrune.Common;

namespace AudioPrune.Data.Layouts;

/// <summary>Recognises a dataset's layout (manifest first, then the known public datasets, then class folders).</summary>
internal static class DatasetDetector
{
    public static IReadOnlyList<IDatasetLayout> Layouts { get; } =
        [new CsvManifestLayout(), new TauLayout(), new Esc50Layout(), new UrbanSound8KLayout(), new ClassFolderLayout()];

    public static DatasetDescription Read(string path)
    {
        if (FileEntry.KindOf(path) == FileKind.Missing) throw UserInputException.InFile(path, "dataset not found (no such file or folder)");
        var layout = Layouts.FirstOrDefault(l => l.Matches(path))
            ?? throw UserInputException.InFile(path, "dataset layout not recognised; expected one of: " + string.Join("; ", Layouts.Select(l => l.Signature)));
        var description = layout.Read(path);
        if (description.Entries.Count == 0) throw UserInputException.InFile(path, $"the {layout.Name} dataset lists no audio files");
        var duplicate = description.Entries.GroupBy(e => e.RelativePath).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw UserInputException.InFile(path, $"'{duplicate.Key}' is listed {duplicate.Count()} times");
        var aliased = description.Entries.GroupBy(e => FileEntry.RealPath(e.FullPath), StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (aliased is not null)
            throw UserInputException.InFile(path, $"'{aliased.First().RelativePath}' and '{aliased.Skip(1).First().RelativePath}' are the same file (through a link); a recording may be listed once");
        return description;
    }
}
