namespace AudioPrune.Data.Layouts;

/// <summary>UrbanSound8K: metadata/UrbanSound8K.csv with the audio in audio/fold1..fold10.
/// Slices of one freesound recording (fsID) form a group.</summary>
internal sealed class UrbanSound8KLayout : IDatasetLayout
{
    public string Name => "urbansound8k";
    public string Signature => "UrbanSound8K (metadata/UrbanSound8K.csv + audio/foldN/)";

    public bool Matches(string path) => File.Exists(Path.Combine(path, "metadata", "UrbanSound8K.csv"));

    public DatasetDescription Read(string root)
    {
        var table = CsvTable.Read(Path.Combine(root, "metadata", "UrbanSound8K.csv"));
        var entries = table.Rows.Select(row =>
        {
            var fold = FoldNumber.Parse(table, row, "fold");
            return DatasetPaths.Entry(root, $"audio/fold{fold}/{table.Get(row, "slice_file_name")}", table.Get(row, "class"),
                table.Path, row.Line, fold: fold, group: table.GetOptional(row, "fsID"));
        }).ToList();
        return new DatasetDescription(Name, root, entries);
    }
}
