using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using AudioPrune.Audio;
using AudioPrune.Data;
using AudioPrune.Graph;
using AudioPrune.Interop;
using AudioPrune.Training;

namespace AudioPrune.Tests.Hostile;

/// <summary>
/// A tiny training scene in a temporary folder for the integrity cases: 12 synthetic clips of 2 s (3 classes) in
/// data/, their features in cache/, and dcase21 runs of batch 4, seed 3 and one thread, which take a second or two.
/// Paths given to the child are relative to the folder (the child runs in it); made in-process, they are absolute.
/// </summary>
internal sealed class TrainingScene : IDisposable
{
    public const int Seed = 3;
    private readonly TempDirectory dir = new();

    public TrainingScene()
    {
        var synth = CliRunner.Run("synth", dir.File("data"), "--clips", "12", "--seconds", "2", "--classes", "3");
        Assert.True(synth.ExitCode == 0, synth.Error);
    }

    public string Path => dir.Path;
    public string File(string name) => dir.File(name);

    /// <summary>The run folder of m.safetensors, where the cases' runs live.</summary>
    public string RunFolder => File("m.safetensors.run");

    public string Checkpoint => System.IO.Path.Combine(RunFolder, AudioPrune.Training.Checkpoint.FileName);

    /// <summary>train on the scene's data into OUT (relative), with the scene's recipe and any further arguments.</summary>
    public static string[] Train(string output, params string[] more) => TrainFrom("", output, more);

    /// <summary>The same with data/ and cache/ under <paramref name="folder"/> (a prefix ending in a separator).</summary>
    public static string[] TrainFrom(string folder, string output, params string[] more) =>
        ["train", "--model", "dcase21", "--data", folder + "data", "--out", output, "--cache", folder + "cache", .. more];

    public static string[] Recipe(int epochs) => ["--epochs", epochs.ToString(), "--batch-size", "4", "--seed", Seed.ToString(), "--threads", "1"];

    /// <summary>A finished one-epoch run to OUT in-process (filling the cache), as a clean reference.</summary>
    public void TrainInProcess(string output, int epochs = 1)
    {
        var result = CliRunner.Run(TrainFrom(Path + "/", File(output), Recipe(epochs)));
        Assert.True(result.ExitCode == 0, result.Error);
    }

    /// <summary>A two-epoch run into m.safetensors.run stopped after its first epoch, as a killed process leaves it.</summary>
    public void Interrupted()
    {
        using var data = Load(out var model);
        using var cancel = new CancellationTokenSource();
        Assert.Throws<OperationCanceledException>(() => new Trainer().Fit(model, data.Splits, Options(RunFolder), new StopAfterAnEpoch(cancel), cancel.Token));
    }

    /// <summary>The weights the interrupted run reaches when it is not interrupted (trained in-process into another run folder).</summary>
    public string UninterruptedWeights()
    {
        using var data = Load(out var model);
        return Digest(new Trainer().Fit(model, data.Splits, Options(File("reference.run"))).Best.Weights);
    }

    private LoadedDataset Load(out ModelArtifact model)
    {
        var start = ModelLoader.Load("dcase21", seed: Seed);
        var data = ModelData.Load(start, File("data"), new DatasetLoadOptions { CacheDirectory = File("cache"), Threads = 1 }, false);
        model = ModelData.ForData("dcase21", start, data, Seed);
        return data;
    }

    private static TrainingOptions Options(string runFolder) =>
        TrainingOptions.ForModel("dcase21") with { Epochs = 2, BatchSize = 4, Threads = 1, Seed = Seed, RunFolder = runFolder };

    /// <summary>The cache entry of the first audio file (by name), which the training split holds.</summary>
    public string FirstEntry => Entry(0);

    public string Entry(int index)
    {
        var audio = Directory.GetFiles(File("data/audio"), "*.wav").Order(StringComparer.Ordinal).ElementAt(index);
        var entry = new FeatureCache(File("cache"), FrontEndSettings.Dcase2021).EntryPath(audio);
        Assert.True(System.IO.File.Exists(entry), $"no cache entry for {audio}");
        return entry;
    }

    public string Relative(string path) => System.IO.Path.GetRelativePath(Path, path);

    /// <summary>A hash of every tensor of a model file, to compare trained weights bit for bit.</summary>
    public string WeightsOf(string model) => Digest(ModelArtifact.Load(File(model)).Weights);

    private static string Digest(WeightMap weights) => string.Join(",", weights.Entries.Select(e =>
        $"{e.Key}:{string.Join('x', e.Value.Shape)}:{Convert.ToHexString(SHA256.HashData(MemoryMarshal.AsBytes(e.Value.Data.AsSpan())))[..16]}"));

    public void Dispose() => dir.Dispose();

    private sealed class StopAfterAnEpoch(CancellationTokenSource cancel) : IProgress<TrainingEvent>
    {
        public void Report(TrainingEvent value)
        {
            if (value is EpochReport) cancel.Cancel();
        }
    }
}

/// <summary>Rewrites a checkpoint as a forger would: the content edited and its checksum made to match again.</summary>
internal static class CheckpointForgery
{
    /// <summary>Edits the run state (JSON) and signs the result.</summary>
    public static void EditState(string path, Func<string, string> edit)
    {
        var content = Content(path);
        using var reader = new BinaryReader(new MemoryStream(content));
        var magic = reader.ReadString();
        var state = reader.ReadString();
        var rest = content[(int)reader.BaseStream.Position..];
        var output = new MemoryStream();
        using (var writer = new BinaryWriter(output, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(magic);
            writer.Write(edit(state));
            writer.Write(rest);
        }
        Sign(path, output.ToArray());
    }

    /// <summary>Edits the content bytes (everything but the checksum) and signs the result.</summary>
    public static void EditContent(string path, Action<byte[]> edit)
    {
        var content = Content(path);
        edit(content);
        Sign(path, content);
    }

    private static byte[] Content(string path) => File.ReadAllBytes(path)[..^8];

    private static void Sign(string path, byte[] content) =>
        File.WriteAllBytes(path, [.. content, .. BitConverter.GetBytes(XxHash64.HashToUInt64(content))]);
}
