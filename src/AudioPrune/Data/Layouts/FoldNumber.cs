using AudioPrune.Common;

namespace AudioPrune.Data.Layouts;

internal static class FoldNumber
{
    public static int Parse(CsvTable table, (int Line, string[] Fields) row, string column)
    {
        var text = table.Get(row, column);
        return int.TryParse(text.StartsWith("fold", StringComparison.OrdinalIgnoreCase) ? text[4..] : text, out var fold) && fold >= 0
            ? fold
            : throw UserInputException.InFile(table.Path, $"line {row.Line}: fold '{text}' is not a non-negative number");
    }

    public static int? ParseOptional(CsvTable table, (int Line, string[] Fields) row, string? column) =>
        table.GetOptional(row, column) is null ? null : Parse(table, row, column!);
}
