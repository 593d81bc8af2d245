namespace AudioPrune.Tests.Interop;

/// <summary>Where the authors' trained DCASE21_Net Keras models are (AUDIOPRUNE_KERAS_MODELS overrides).</summary>
internal static class KerasModels
{
    public static string Folder =>
        Environment.GetEnvironmentVariable("AUDIOPRUNE_KERAS_MODELS") is { Length: > 0 } folder ? folder : "/work/shared/models/dcase21-keras";

    public static string File(string prefix) => Path.Combine(Folder, $"{prefix}_best_model_dcase2021.h5");
}
