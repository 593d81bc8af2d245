using AudioPrune.Common;

namespace AudioPrune.Data.Layouts;

/// <summary>
/// DCASE / TAU Urban Acoustic Scenes: meta.csv (tab-separated filename, scene_label, identifier, source_label)
/// and evaluation_setup/foldN_train.csv and foldN_evaluate.csv. The evaluate list is the test split (it is
/// labelled; foldN_test.csv is not). Recordings from one location (identifier) form a group.
/// </summary>
internal sealed class TauLayout : IDatasetLayout
{
    public string Name => "dcase-tau";
    public string Signature => "DCASE/TAU (meta.csv + evaluation_setup/fold*_train.csv)";

    public bool Matches(string path) => File.Exists(Path.Combine(path, "meta.csv")) && Directory.Exists(Path.Combine(path, "evaluation_setup"));

    public DatasetDescription Read(string root)
    {
        var meta = CsvTable.Read(Path.Combine(root, "meta.csv"));
        var labelColumn = meta.FirstColumn("scene_label", "label") ?? throw UserInputException.InFile(meta.Path, "no scene_label column");
        var known = new Dictionary<string, (string Label, string? Group)>(StringComparer.Ordinal);
        foreach (var row in meta.Rows)
            known[meta.Get(row, "filename")] = (meta.Get(row, labelColumn), meta.GetOptional(row, meta.FirstColumn("identifier")));

        var setup = Path.Combine(root, "evaluation_setup");
        var trainList = Directory.GetFiles(setup, "fold*_train.csv").Order(StringComparer.Ordinal).FirstOrDefault()
            ?? throw UserInputException.InFile(setup, "no fold*_train.csv list");
        var evaluateList = trainList[..^"_train.csv".Length] + "_evaluate.csv";
        var entries = new List<DatasetEntry>();
        AddList(root, trainList, "train", known, entries);
        if (File.Exists(evaluateList)) AddList(root, evaluateList, "test", known, entries);
        return new DatasetDescription(Name, root, entries);
    }

    private static void AddList(string root, string list, string split, Dictionary<string, (string Label, string? Group)> known, List<DatasetEntry> entries)
    {
        var table = CsvTable.Read(list);
        var labelColumn = table.FirstColumn("scene_label", "label");
        foreach (var row in table.Rows)
        {
            var name = table.Get(row, "filename");
            known.TryGetValue(name, out var info);
            var label = table.GetOptional(row, labelColumn) ?? info.Label
                ?? throw UserInputException.InFile(list, $"line {row.Line}: '{name}' has no scene label here or in meta.csv");
            entries.Add(DatasetPaths.Entry(root, name, label, list, row.Line, split, group: info.Group));
        }
    }
}
