using AudioPrune.Common;
using AudioPrune.Data;
using AudioPrune.Inference;
using AudioPrune.Training;

namespace AudioPrune;

/// <summary>A class and its clip-level probability (the mean over the recording's segments).</summary>
public sealed record ClassProbability(string Label, double Probability);

/// <summary>The library's prediction: the same steps as 'audioprune predict', without the command line.</summary>
internal static class Prediction
{
    public static IReadOnlyList<ClassProbability> Run(AudioPruneModel model, string audio, string? preset)
    {
        ArgumentNullException.ThrowIfNull(audio);
        InputFile.Check(audio, Audio.AudioDecoder.Noun);
        var frontEnd = ModelData.FrontEndFor(model.Artifact, preset);
        using var engine = InferenceEngines.Create("torch", model.Artifact, threads: 1);
        var clip = ClipPrediction.Of(audio, model.Artifact, engine, frontEnd);
        return clip.Top(clip.ClassNames.Count).Select(t => new ClassProbability(t.Name, t.Probability)).ToArray();
    }
}
