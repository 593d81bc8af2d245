using AudioPrune.Audio;
using AudioPrune.Data;

namespace AudioPrune.Tests.Data;

public sealed class SyntheticScenesTests
{
    private static readonly SyntheticSceneOptions Small = new() { Clips = 48, Seconds = 0.6, Seed = 4 };

    [Fact]
    public void Same_seed_writes_the_same_dataset_and_another_seed_does_not()
    {
        using var dir = new TempDirectory();
        var first = SyntheticScenes.Write(dir.File("one"), Small);
        var second = SyntheticScenes.Write(dir.File("two"), Small);
        var third = SyntheticScenes.Write(dir.File("three"), Small with { Seed = 5 });
        Assert.Equal(File.ReadAllText(first), File.ReadAllText(second));
        var file = File.ReadAllLines(first)[1].Split(',')[0];
        Assert.Equal(File.ReadAllBytes(Path.Combine(dir.File("one"), file)), File.ReadAllBytes(Path.Combine(dir.File("two"), file)));
        Assert.NotEqual(File.ReadAllText(first), File.ReadAllText(third));
    }

    [Fact]
    public void Writes_a_balanced_manifest_dataset_with_held_out_devices_only_outside_training()
    {
        using var dir = new TempDirectory();
        var manifest = SyntheticScenes.Write(dir.Path, Small);
        var rows = File.ReadAllLines(manifest).Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.Equal(48, rows.Length);
        Assert.Equal(8, rows.Select(r => r[1]).Distinct().Count());
        Assert.All(rows.GroupBy(r => r[1]), g => Assert.Equal(6, g.Count()));
        var heldOut = SyntheticSceneCatalog.Devices.Where(d => d.HeldOut).Select(d => d.Name).ToHashSet();
        Assert.DoesNotContain(rows, r => r[2] == "train" && heldOut.Contains(r[4]));
        Assert.Contains(rows, r => r[2] != "train" && heldOut.Contains(r[4]));

        // It reads like any dataset: the manifest layout, its own split, real WAV files at 44.1 kHz.
        var description = AudioPrune.Data.Layouts.DatasetDetector.Read(dir.Path);
        Assert.Equal("csv-manifest", description.Layout);
        var signal = AudioDecoder.Read(description.Entries[0].FullPath);
        Assert.Equal(44100, signal.SampleRate);
        Assert.Equal((int)(0.6 * 44100), signal.Samples.Length);
        Assert.InRange(signal.Samples.Max(Math.Abs), 0.001f, 0.99f);
    }

    [Fact]
    public void Scenes_differ_in_their_average_spectrum()
    {
        using var dir = new TempDirectory();
        SyntheticScenes.Write(dir.Path, Small with { Clips = 16, Seconds = 2 });
        var settings = FrontEndSettings.Dcase2021 with { ClipSeconds = 2, ExampleFrames = 100 };
        var description = AudioPrune.Data.Layouts.DatasetDetector.Read(dir.Path);
        var meanPerScene = description.Entries.GroupBy(e => e.Label).ToDictionary(g => g.Key, g =>
        {
            var examples = g.Select(e => FeaturePipeline.ForFile(e.FullPath, settings).Examples[0]).ToArray();
            return Enumerable.Range(0, 40).Select(b => examples.Average(x => x.Skip(b * 100).Take(100).Average())).ToArray();
        });
        var park = meanPerScene["park"];
        var traffic = meanPerScene["street_traffic"];
        // Traffic is low-frequency heavy relative to the bird-filled park (band 5 vs band 30).
        Assert.True(traffic[5] - traffic[30] > park[5] - park[30]);
    }
}
