namespace AudioPrune.Data.Layouts;

/// <summary>ESC-50: meta/esc50.csv (filename, fold, target, category, ..., src_file) with the audio in audio/.
/// Clips cut from one source recording (src_file) form a group.</summary>
internal sealed class Esc50Layout : IDatasetLayout
{
    public string Name => "esc50";
    public string Signature => "ESC-50 (meta/esc50.csv + audio/)";

    public bool Matches(string path) => File.Exists(Path.Combine(path, "meta", "esc50.csv"));

    public DatasetDescription Read(string root)
    {
        var table = CsvTable.Read(Path.Combine(root, "meta", "esc50.csv"));
        var entries = table.Rows.Select(row => DatasetPaths.Entry(root, "audio/" + table.Get(row, "filename"), table.Get(row, "category"),
            table.Path, row.Line, fold: FoldNumber.Parse(table, row, "fold"), group: table.GetOptional(row, "src_file"))).ToList();
        return new DatasetDescription(Name, root, entries);
    }
}
