using AudioPrune.Common;

namespace AudioPrune.Data.Layouts;

/// <summary>
/// A plain CSV manifest: columns filename and label, optionally split (train/validation/test), fold and group;
/// file names relative to the manifest's folder. DATA is the CSV itself, or a folder holding manifest.csv.
/// </summary>
internal sealed class CsvManifestLayout : IDatasetLayout
{
    public const string DefaultFileName = "manifest.csv";

    public string Name => "csv-manifest";
    public string Signature => "CSV manifest (filename,label[,split,fold,group]) given as the file or as manifest.csv";

    public bool Matches(string path) =>
        (File.Exists(path) && path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)) || File.Exists(Path.Combine(path, DefaultFileName));

    public DatasetDescription Read(string path)
    {
        var manifest = File.Exists(path) ? Path.GetFullPath(path) : Path.Combine(Path.GetFullPath(path), DefaultFileName);
        var root = Path.GetDirectoryName(manifest)!;
        var table = CsvTable.Read(manifest);
        var fileColumn = table.FirstColumn("filename", "file", "path")
            ?? throw UserInputException.InFile(manifest, $"no 'filename' column (columns: {string.Join(", ", table.Header)}); expected filename,label[,split,fold,group]");
        var labelColumn = table.FirstColumn("label", "class", "scene_label", "category")
            ?? throw UserInputException.InFile(manifest, $"no 'label' column (columns: {string.Join(", ", table.Header)}); expected filename,label[,split,fold,group]");
        var splitColumn = table.FirstColumn("split");
        var foldColumn = table.FirstColumn("fold");
        var groupColumn = table.FirstColumn("group");
        var entries = table.Rows.Select(row =>
        {
            var split = table.GetOptional(row, splitColumn);
            if (splitColumn is not null && split is null)
                throw UserInputException.InFile(manifest, $"line {row.Line}: empty split (use train, validation or test on every line, or drop the column)");
            return DatasetPaths.Entry(root, table.Get(row, fileColumn), table.Get(row, labelColumn), manifest, row.Line,
                split is null ? null : SplitNames.Normalise(split, manifest, row.Line),
                FoldNumber.ParseOptional(table, row, foldColumn), table.GetOptional(row, groupColumn));
        }).ToList();
        if (entries.Count == 0) throw UserInputException.InFile(manifest, "the manifest lists no files");
        return new DatasetDescription(Name, root, entries);
    }
}
