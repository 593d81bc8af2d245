using AudioPrune.Common;

namespace AudioPrune.Data;

/// <summary>
/// A small CSV/TSV reader for dataset metadata: the header names the columns, the delimiter (tab or comma)
/// is taken from the header line, fields may be double-quoted. Errors name the file and line.
/// </summary>
internal sealed class CsvTable
{
    private readonly Dictionary<string, int> columns;

    private CsvTable(string path, string[] header, List<(int Line, string[] Fields)> rows)
    {
        Path = path;
        Header = header;
        Rows = rows;
        columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Length; i++) columns.TryAdd(header[i].Trim(), i);
    }

    public string Path { get; }
    public IReadOnlyList<string> Header { get; }
    public IReadOnlyList<(int Line, string[] Fields)> Rows { get; }

    public bool Has(string column) => columns.ContainsKey(column);

    /// <summary>The first of <paramref name="names"/> that is a column, or null.</summary>
    public string? FirstColumn(params string[] names) => names.FirstOrDefault(Has);

    public string Get((int Line, string[] Fields) row, string column)
    {
        var index = columns.TryGetValue(column, out var i) ? i : throw UserInputException.InFile(Path, $"no column '{column}' (columns: {string.Join(", ", Header)})");
        if (index >= row.Fields.Length) throw UserInputException.InFile(Path, $"line {row.Line}: missing the '{column}' field");
        return row.Fields[index].Trim();
    }

    public string? GetOptional((int Line, string[] Fields) row, string? column)
    {
        if (column is null || !columns.TryGetValue(column, out var index) || index >= row.Fields.Length) return null;
        var value = row.Fields[index].Trim();
        return value.Length == 0 ? null : value;
    }

    /// <summary>Reads a table with a header line; <paramref name="hasHeader"/> false names the columns 0, 1, 2...</summary>
    public static CsvTable Read(string path, bool hasHeader = true)
    {
        var lines = InputFile.ReadAllText(path, InputLimits.MaxTableBytes, "table").Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        var first = Array.FindIndex(lines, l => l.Trim().Length > 0);
        if (first < 0) throw UserInputException.InFile(path, "the table is empty");
        var delimiter = lines[first].Contains('\t') ? '\t' : ',';
        var rows = new List<(int, string[])>();
        string[] header;
        if (hasHeader)
        {
            header = Split(lines[first], delimiter, path, first + 1);
            header[0] = header[0].TrimStart('\uFEFF');
        }
        else
        {
            var width = Split(lines[first], delimiter, path, first + 1).Length;
            header = Enumerable.Range(0, width).Select(i => i.ToString()).ToArray();
        }
        for (var i = hasHeader ? first + 1 : first; i < lines.Length; i++)
            if (lines[i].Trim().Length > 0) rows.Add((i + 1, Split(lines[i], delimiter, path, i + 1)));
        return new CsvTable(path, header, rows);
    }

    private static string[] Split(string line, char delimiter, string path, int lineNumber)
    {
        var fields = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { current.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else current.Append(c);
            }
            else if (c == '"' && current.Length == 0) quoted = true;
            else if (c == delimiter) { fields.Add(current.ToString()); current.Clear(); }
            else current.Append(c);
        }
        if (quoted) throw UserInputException.InFile(path, $"line {lineNumber}: unclosed quote");
        fields.Add(current.ToString());
        return fields.ToArray();
    }
}
