using AudioPrune.Common;
using AudioPrune.Data;
using AudioPrune.Graph;

namespace AudioPrune.Training;

/// <summary>Checks made before any training or evaluation work, each failing with a message that names the fix.</summary>
internal static class DataChecks
{
    public static void EnsureFits(NetworkGraph graph, IExampleSet set, string what)
    {
        if (!set.ExampleShape.Equals(graph.Input))
            throw new UserInputException($"{what}: examples are {set.ExampleShape} but model '{graph.Name}' takes {graph.Input}; build the model for this input ({{@InputShape}}) or use matching features");
        var outputs = graph.OutputShape.Rank == 1 ? graph.OutputShape[0] : -1;
        if (outputs != set.ClassNames.Count)
            throw new UserInputException($"{what}: the data has {set.ClassNames.Count} classes but model '{graph.Name}' has {graph.OutputShape} outputs; create or prune the model with {set.ClassNames.Count} classes");
    }

    /// <summary>
    /// The model's labels must name the data's classes in the same order. Generic names (class0, class1, ...)
    /// match anything. When training, other names are allowed (a new task) unless they are the data's own
    /// names in another order, which would silently scramble the classes.
    /// </summary>
    public static void EnsureLabelsAgree(IReadOnlyList<string> modelLabels, IReadOnlyList<string> dataClasses, bool requireSameNames)
    {
        if (modelLabels.SequenceEqual(dataClasses) || IsGeneric(modelLabels)) return;
        var sameSet = modelLabels.Order(StringComparer.Ordinal).SequenceEqual(dataClasses.Order(StringComparer.Ordinal));
        if (sameSet || requireSameNames)
            throw new UserInputException($"the model's classes ({Preview(modelLabels)}) are not the data's classes in the same order ({Preview(dataClasses)}); use data with the model's class list");
    }

    public static void EnsureTrainable(DataSplits data)
    {
        if (data.Train.Count == 0) throw new UserInputException("the training split has no examples");
        if (data.Validation.Count == 0) throw new UserInputException("the validation split has no examples: model selection needs one");
        foreach (var (name, set) in new[] { ("validation", data.Validation), ("test", data.Test) })
        {
            if (!set.ExampleShape.Equals(data.Train.ExampleShape))
                throw new UserInputException($"the {name} split's examples are {set.ExampleShape} but the training split's are {data.Train.ExampleShape}");
            if (!set.ClassNames.SequenceEqual(data.Train.ClassNames))
                throw new UserInputException($"the {name} split's class list differs from the training split's");
        }
        var trained = new bool[data.Train.ClassNames.Count];
        for (var i = 0; i < data.Train.Count; i++) trained[data.Train.Label(i)] = true;
        foreach (var (name, set) in new[] { ("validation", data.Validation), ("test", data.Test) })
        {
            for (var i = 0; i < set.Count; i++)
            {
                var label = set.Label(i);
                if (!trained[label])
                    throw new UserInputException($"class '{set.ClassNames[label]}' occurs in the {name} split (clip '{set.ClipId(i)}') but not in the training split; re-split the data so every class has training examples");
            }
        }
    }

    private static bool IsGeneric(IReadOnlyList<string> labels) =>
        labels.SequenceEqual(ModelArtifact.NumberedLabels(labels.Count));

    private static string Preview(IReadOnlyList<string> names) =>
        names.Count <= 5 ? string.Join(", ", names) : $"{string.Join(", ", names.Take(5))}, ... ({names.Count})";
}
