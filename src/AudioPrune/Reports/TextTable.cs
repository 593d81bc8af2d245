namespace AudioPrune.Reports;

/// <summary>A plain aligned text table: no colour or box characters, so it reads the same in a terminal, a log or CI.</summary>
internal static class TextTable
{
    /// <param name="rows">First row is the header.</param>
    /// <param name="rightAlignedFrom">Columns from this index on are numbers and are right-aligned.</param>
    public static void Write(IReadOnlyList<string[]> rows, TextWriter output, int rightAlignedFrom = int.MaxValue)
    {
        var columns = rows.Max(r => r.Length);
        var widths = Enumerable.Range(0, columns).Select(c => rows.Max(r => c < r.Length ? r[c].Length : 0)).ToArray();
        for (var i = 0; i < rows.Count; i++)
        {
            var cells = rows[i].Select((cell, c) => c >= rightAlignedFrom ? cell.PadLeft(widths[c]) : cell.PadRight(widths[c]));
            output.WriteLine(string.Join("  ", cells).TrimEnd());
            if (i == 0) output.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
        }
    }
}
