using AudioPrune.Common;

namespace AudioPrune.Interop;

/// <summary>
/// The class names for a model imported without any (import --labels): one name per line in output order, surrounding
/// spaces and blank lines ignored; the count must equal the network's outputs and no name may repeat.
/// </summary>
internal static class LabelsFile
{
    public static string[] Read(string path, int classes)
    {
        var labels = InputFile.ReadAllText(path, InputLimits.MaxConfigBytes, "labels file").Split('\n')
            .Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        if (labels.Length != classes)
            throw UserInputException.InFile(path, $"{labels.Length} labels for a network with {classes} outputs (one name per line)");
        if (labels.GroupBy(l => l, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw UserInputException.InFile(path, $"label '{twice.Key}' appears more than once; every class needs its own name");
        return labels;
    }
}
