using AudioPrune.Audio;
using AudioPrune.Common;
using AudioPrune.Graph;

namespace AudioPrune.Data;

/// <summary>
/// Binds a model to audio data: which front end its inputs come from, which normalisation it was trained with,
/// and the dataset loaded for it. Every command and study step that feeds audio to a model goes through here,
/// so training, fine-tuning, evaluation and prediction see the same features.
/// </summary>
internal static class ModelData
{
    /// <summary>
    /// The model's front end: an explicit preset wins, then the settings stored in the model, then the preset whose
    /// example shape equals the network's input.
    /// </summary>
    public static FrontEndSettings FrontEndOf(ModelArtifact model, string? preset = null)
    {
        if (preset is not null) return FrontEndSettings.FromArgument(preset);
        if (model.Metadata.TryGetValue(ModelArtifact.FrontEndKey, out var json)) return FrontEndSettings.FromJson(json);
        var matching = FrontEndSettings.PresetNames.Select(FrontEndSettings.FromPreset)
            .FirstOrDefault(s => s.ExampleShape.Equals(model.Graph.Input));
        return matching ?? throw new UserInputException(
            $"model '{model.Graph.Name}' (input {model.Graph.Input}) does not say which audio front end it expects and no preset " +
            $"({string.Join(", ", FrontEndSettings.PresetNames)}) makes such examples: pass {{@Preset}} with a .json file of " +
            "front-end settings that does (a preset and the fields that differ, e.g. mel_bands and example_frames)");
    }

    /// <summary>The model's front end (<see cref="FrontEndOf"/>), refused when its examples do not fit the network's input.</summary>
    public static FrontEndSettings FrontEndFor(ModelArtifact model, string? preset = null)
    {
        var settings = FrontEndOf(model, preset);
        if (!settings.ExampleShape.Equals(model.Graph.Input))
            throw new UserInputException(
                $"front end '{settings.Preset}' makes {settings.ExampleShape} examples but model '{model.Graph.Name}' takes {model.Graph.Input}");
        return settings;
    }

    /// <summary>The normalisation the model was trained with, if it stores one.</summary>
    public static FeatureNormalization? NormalizationOf(ModelArtifact model) =>
        model.Metadata.TryGetValue(ModelArtifact.NormalizationKey, out var json) ? FeatureNormalization.FromJson(json) : null;

    /// <summary>
    /// Loads a dataset as the model sees it. <paramref name="reuseModelNormalization"/>: evaluation, prediction and
    /// fine-tuning apply the model's stored statistics; training a new model computes them from the training split.
    /// </summary>
    public static LoadedDataset Load(ModelArtifact model, string dataRoot, DatasetLoadOptions options, bool reuseModelNormalization, string? preset = null)
    {
        var settings = FrontEndFor(model, preset);
        var normalization = reuseModelNormalization ? NormalizationOf(model) : null;
        return DatasetLoader.Load(dataRoot, settings, options with { Normalization = normalization ?? options.Normalization });
    }

    /// <summary>The model with the data's front end, normalisation and class names stored in it.</summary>
    public static ModelArtifact WithDataSettings(ModelArtifact model, LoadedDataset data)
    {
        if (data.ClassNames.Count != model.Graph.OutputShape[0])
            throw new UserInputException($"the data has {data.ClassNames.Count} classes but model '{model.Graph.Name}' has {model.Graph.OutputShape[0]} outputs");
        return (model with { Labels = data.ClassNames.ToArray() })
            .WithMetadata(ModelArtifact.FrontEndKey, data.Settings.ToJson())
            .WithMetadata(ModelArtifact.NormalizationKey, data.Normalization.ToJson());
    }

    /// <summary>
    /// The model to train on this data: a zoo model (named by <paramref name="modelArgument"/>) is rebuilt with the
    /// data's class count; a model file must already match it. The data's settings are stored in the result.
    /// </summary>
    public static ModelArtifact ForData(string modelArgument, ModelArtifact model, LoadedDataset data, int seed)
    {
        if (data.ClassNames.Count != model.Graph.OutputShape[0] && !File.Exists(modelArgument))
            model = Interop.ModelLoader.Load(modelArgument, seed: seed, classes: data.ClassNames.Count);
        return WithDataSettings(model, data);
    }
}
