using AudioPrune.Audio;

namespace AudioPrune.Tests.Cli;

/// <summary>
/// A tiny synthetic scene dataset (24 clips of 10 s, 3 classes) and a dcase21 model trained on it for two epochs
/// by 'audioprune train', made once for the command tests that need data or a trained model.
/// </summary>
public sealed class TrainedModelFixture : IDisposable
{
    private readonly TempDirectory folder = new();

    public TrainedModelFixture()
    {
        Manifest = SyntheticScenes.Write(Path.Combine(folder.Path, "data"), new SyntheticSceneOptions { Clips = 24, Classes = 3, Seconds = 10, Seed = 5 });
        Cache = Path.Combine(folder.Path, "cache");
        Model = Path.Combine(folder.Path, "baseline.safetensors");
        Train = CliRunner.Run("train", "--model", "dcase21", "--data", Manifest, "--out", Model, "--epochs", "2", "--batch-size", "8",
            "--threads", "1", "--cache", Cache);
    }

    public string Manifest { get; }
    public string DataFolder => Path.GetDirectoryName(Manifest)!;
    public string Cache { get; }
    public string Model { get; }

    /// <summary>The outcome of the fixture's train command.</summary>
    internal CliRunner.Result Train { get; }

    public string File(string name) => folder.File(name);

    public void Dispose() => folder.Dispose();
}
