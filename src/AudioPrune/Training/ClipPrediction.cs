using AudioPrune.Inference;
using AudioPrune.Audio;
using AudioPrune.Data;
using AudioPrune.Graph;

namespace AudioPrune.Training;

/// <summary>A recording's class probabilities: the mean over its examples (segments or patches), as clip-level evaluation scores them.</summary>
internal sealed record ClipPrediction(string Path, int Examples, IReadOnlyList<string> ClassNames, float[] Probabilities)
{
    /// <summary>Classes by falling probability, at most <paramref name="top"/>.</summary>
    public IEnumerable<(string Name, float Probability)> Top(int top) =>
        Probabilities.Select((p, c) => (ClassNames[c], p)).OrderByDescending(t => t.p).Take(top);

    /// <summary>Reads the file with <paramref name="frontEnd"/> (<see cref="ModelData.FrontEndFor"/>) and the model's stored normalisation and runs it through the engine.</summary>
    public static ClipPrediction Of(string path, ModelArtifact model, IInferenceEngine engine, FrontEndSettings frontEnd)
    {
        var features = FeaturePipeline.ForFile(path, frontEnd, ModelData.NormalizationOf(model));
        var size = (int)model.Graph.Input.Elements;
        var batch = new float[features.Examples.Length * size];
        for (var i = 0; i < features.Examples.Length; i++) features.Examples[i].CopyTo(batch, i * size);
        var rows = EngineOutputs.Probabilities(engine, model.Graph, batch, features.Examples.Length);
        var mean = new float[rows[0].Length];
        foreach (var row in rows)
            for (var c = 0; c < mean.Length; c++) mean[c] += row[c] / rows.Length;
        var names = model.Labels.Count == mean.Length ? model.Labels : ModelArtifact.NumberedLabels(mean.Length);
        return new ClipPrediction(path, rows.Length, names, mean);
    }
}
