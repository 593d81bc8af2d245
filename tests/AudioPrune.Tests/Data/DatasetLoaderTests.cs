using AudioPrune.Audio;
using AudioPrune.Common;
using AudioPrune.Data;

namespace AudioPrune.Tests.Data;

public sealed class DatasetLoaderTests
{
    private static DatasetLoadOptions Options(string cache, bool strict = false) => new() { CacheDirectory = cache, Strict = strict, Threads = 2 };

    [Fact]
    public void Loads_normalised_splits_that_equal_the_single_file_pipeline()
    {
        using var dir = new TempDirectory();
        DatasetFixtures.Manifest(dir.File("data"), splitColumn: true);
        var settings = DatasetFixtures.Settings;
        using var loaded = DatasetLoader.Load(dir.File("data"), settings, Options(dir.File("cache")));
        Assert.Equal(["a", "b", "c"], loaded.ClassNames);
        Assert.Equal(settings.ExampleShape, loaded.Splits.Train.ExampleShape);
        Assert.Equal(18, loaded.Splits.Train.Count + loaded.Splits.Validation.Count + loaded.Splits.Test.Count);
        Assert.Empty(loaded.Skipped);
        Assert.Equal(18, loaded.Computed);

        // Train features are standardised per band over the training split.
        var train = loaded.Splits.Train;
        var values = new float[train.Count][];
        for (var i = 0; i < train.Count; i++) { values[i] = new float[train.ExampleShape.Elements]; train.CopyFeatures(i, values[i]); }
        for (var band = 0; band < settings.MelBands; band++)
        {
            var v = values.SelectMany(x => x.Skip(band * settings.ExampleFrames).Take(settings.ExampleFrames)).Select(x => (double)x).ToArray();
            Assert.InRange(v.Average(), -1e-3, 1e-3);
            Assert.InRange(Math.Sqrt(v.Select(x => x * x).Average()), 0.99, 1.01);
        }

        // A test example from the memory-mapped cache equals the prediction path for the same file.
        var test = loaded.Splits.Test;
        var clip = test.ClipId(0);
        var fromCache = new float[test.ExampleShape.Elements];
        test.CopyFeatures(0, fromCache);
        var direct = FeaturePipeline.ForFile(Path.Combine(dir.File("data"), clip), settings, loaded.Normalization, clip);
        Assert.Equal(clip, direct.ClipId);
        Assert.Equal(direct.Examples[0], fromCache);
        Assert.Equal(loaded.ClassNames.ToList().IndexOf(clip.Split('/')[1][..1]), test.Label(0));
    }

    [Fact]
    public void Cache_is_reused_and_invalidated_when_the_audio_or_the_settings_change()
    {
        using var dir = new TempDirectory();
        DatasetFixtures.Manifest(dir.File("data"));
        var cache = dir.File("cache");
        var settings = DatasetFixtures.Settings;
        using (var first = DatasetLoader.Load(dir.File("data"), settings, Options(cache))) Assert.Equal(18, first.Computed);
        using (var second = DatasetLoader.Load(dir.File("data"), settings, Options(cache))) Assert.Equal((0, 18), (second.Computed, second.FromCache));

        // New content (and a new modification time) for one file: only that file is recomputed.
        var changed = Path.Combine(dir.File("data"), "clips", "a1.wav");
        DatasetFixtures.Wav(dir.File("data"), "clips/a1.wav", seed: 99, seconds: 0.4);
        File.SetLastWriteTimeUtc(changed, DateTime.UtcNow.AddMinutes(5));
        using (var third = DatasetLoader.Load(dir.File("data"), settings, Options(cache))) Assert.Equal(1, third.Computed);

        // Other settings: a separate cache folder, everything computed again.
        using (var other = DatasetLoader.Load(dir.File("data"), settings with { MelBands = 32 }, Options(cache))) Assert.Equal(18, other.Computed);
        Assert.Equal(2, Directory.GetDirectories(cache).Length);
        Assert.Empty(Directory.GetFiles(cache, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void A_damaged_cache_entry_is_recomputed_not_trusted()
    {
        using var dir = new TempDirectory();
        DatasetFixtures.Manifest(dir.File("data"));
        var cache = new FeatureCache(dir.File("cache"), DatasetFixtures.Settings);
        var audio = Path.Combine(dir.File("data"), "clips", "b2.wav");
        var good = cache.GetOrCompute(audio, out var computed);
        Assert.True(computed);
        var bytes = File.ReadAllBytes(good.CachePath);
        File.WriteAllBytes(good.CachePath, bytes[..(bytes.Length - 10)]);
        var again = cache.GetOrCompute(audio, out computed);
        Assert.True(computed);
        Assert.Equal(bytes, File.ReadAllBytes(again.CachePath));
    }

    [Fact]
    public async Task Two_runs_sharing_a_cache_at_once_agree()
    {
        using var dir = new TempDirectory();
        DatasetFixtures.Manifest(dir.File("data"));
        var runs = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            using var loaded = DatasetLoader.Load(dir.File("data"), DatasetFixtures.Settings, Options(dir.File("cache")));
            var buffer = new float[loaded.Splits.Train.ExampleShape.Elements];
            loaded.Splits.Train.CopyFeatures(0, buffer);
            return (loaded.Splits.Train.Count, Sum: buffer.Sum());
        })).ToArray();
        var results = await Task.WhenAll(runs);
        Assert.Equal(results[0], results[1]);
        Assert.Empty(Directory.GetFiles(dir.File("cache"), "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void Bad_files_are_skipped_with_reasons_and_nothing_cached_or_stop_the_run_when_strict()
    {
        using var dir = new TempDirectory();
        var data = dir.File("data");
        DatasetFixtures.Manifest(data);
        File.WriteAllBytes(Path.Combine(data, "clips", "a2.wav"), []);
        File.WriteAllBytes(Path.Combine(data, "clips", "b3.wav"), File.ReadAllBytes(Path.Combine(data, "clips", "b4.wav"))[..60]);
        File.Delete(Path.Combine(data, "clips", "c5.wav"));
        var cache = dir.File("cache");
        using (var loaded = DatasetLoader.Load(data, DatasetFixtures.Settings, Options(cache)))
        {
            Assert.Equal(3, loaded.Skipped.Count);
            Assert.Contains(loaded.Skipped, s => s.Path.EndsWith("a2.wav") && s.Reason.Contains("empty"));
            Assert.Contains(loaded.Skipped, s => s.Path.EndsWith("b3.wav") && s.Reason.Contains("truncated"));
            Assert.Contains(loaded.Skipped, s => s.Path.EndsWith("c5.wav") && s.Reason.Contains("not found"));
            Assert.Equal(15, loaded.Durations.Count);
            Assert.Equal(15, Directory.GetFiles(cache, "*.f32", SearchOption.AllDirectories).Length);
        }
        var error = Assert.Throws<UserInputException>(() => DatasetLoader.Load(data, DatasetFixtures.Settings, Options(cache, strict: true)));
        Assert.Matches("(a2|b3|c5)\\.wav", error.Message);
    }

    [Fact]
    public void Given_normalisation_is_used_as_is()
    {
        using var dir = new TempDirectory();
        DatasetFixtures.ClassFolders(dir.File("data"));
        var s = DatasetFixtures.Settings;
        var identity = FeatureNormalization.Identity(s.Layout, s.MelBands, s.ExampleFrames);
        using var loaded = DatasetLoader.Load(dir.File("data"), s, Options(dir.File("cache")) with { Normalization = identity });
        Assert.Same(identity, loaded.Normalization);
        var raw = new float[s.ExampleShape.Elements];
        loaded.Splits.Train.CopyFeatures(0, raw);
        var direct = FeaturePipeline.ForFile(Path.Combine(dir.File("data"), loaded.Splits.Train.ClipId(0)), s);
        Assert.Equal(direct.Examples[0], raw);
    }

    [Fact]
    public void Segment_policy_cuts_recordings_into_patches_that_share_the_clip_id()
    {
        using var dir = new TempDirectory();
        var data = dir.File("data");
        foreach (var (label, i) in new[] { ("x", 0), ("x", 1), ("y", 2), ("y", 3), ("x", 4), ("y", 5) })
            DatasetFixtures.Wav(data, $"{label}/{i}.wav", i, seconds: 2.5, rate: 48000);
        var vggish = FrontEndSettings.Vggish;
        using var loaded = DatasetLoader.Load(data, vggish, Options(dir.File("cache")));
        var all = new[] { loaded.Splits.Train, loaded.Splits.Validation, loaded.Splits.Test };
        // 2.5 s at 16 kHz: 1 + (40000 - 400) / 160 = 248 frames = two whole 96-frame patches.
        Assert.Equal(12, all.Sum(s => s.Count));
        foreach (var set in all)
            for (var i = 0; i < set.Count; i += 2)
            {
                Assert.Equal(set.ClipId(i), set.ClipId(i + 1));
                Assert.Equal(set.Label(i), set.Label(i + 1));
            }
        Assert.Equal(new global::AudioPrune.Graph.Shape(1, 96, 64), loaded.Splits.Train.ExampleShape);
        Assert.Equal(FeatureLayout.FramesByMel, loaded.Normalization.Layout);
        Assert.Equal(2.5, loaded.Durations.Mean, 3);
    }
}
