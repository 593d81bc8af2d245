using AudioPrune.Audio;
using AudioPrune.Graph;
using AudioPrune.Interop;

namespace AudioPrune.Cli.Commands;

/// <summary>
/// The "note:" lines the commands that use a model's weights print with their results, so that results from
/// placeholder weights, numbered classes or a guessed front end are not taken for real ones.
/// </summary>
internal static class ModelNotes
{
    /// <summary>For a model whose weights are still the seeded random ones of a zoo name or graph file (<see cref="ModelLoader.UntrainedSeed"/>).</summary>
    public static string? Weights(string model, ModelArtifact artifact) =>
        ModelLoader.UntrainedSeed(artifact) is { } seed
            ? $"note: {model} has seeded random weights (seed {seed}), not trained ones; train it first for meaningful results"
            : null;

    /// <summary>For a model with trained weights but only numbered classes (imported without labels); random weights have their own note.</summary>
    public static string? Labels(string model, ModelArtifact artifact) =>
        artifact.HasNumberedLabels && ModelLoader.UntrainedSeed(artifact) is null
            ? $"note: {model} has no class labels; classes are numbered (import it with 'audioprune import ... --labels FILE', one name per line)"
            : null;

    /// <summary>For a model that stores no front end, run with the preset whose examples fit its input because no --preset was given.</summary>
    public static string? FrontEnd(string model, ModelArtifact artifact, string? preset, FrontEndSettings used) =>
        preset is null && !artifact.Metadata.ContainsKey(ModelArtifact.FrontEndKey)
            ? $"note: {model} stores no audio front end; using preset '{used.Preset}', whose {used.ExampleShape} examples fit its input (--preset chooses another)"
            : null;

    /// <summary>Prints the notes that apply, one line each.</summary>
    public static void Write(TextWriter output, params string?[] notes)
    {
        foreach (var note in notes)
        {
            if (note is not null) output.WriteLine(note);
        }
    }
}
