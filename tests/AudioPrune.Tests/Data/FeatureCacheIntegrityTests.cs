using AudioPrune.Common;
using AudioPrune.Data;

namespace AudioPrune.Tests.Data;

/// <summary>Feature-cache entries carry checksums of their content and of what made them; a damaged one is never used.</summary>
public sealed class FeatureCacheIntegrityTests
{
    private static string Audio(TempDirectory dir) => Path.Combine(dir.File("data"), "clips", "b2.wav");

    [Theory]
    [InlineData(0)]
    [InlineData(9)]
    [InlineData(20)]
    [InlineData(40)]
    [InlineData(50)]
    [InlineData(CachedClip.HeaderBytes)]
    [InlineData(-1)]
    public void A_flipped_byte_anywhere_is_reported_once_and_the_entry_recomputed(int position)
    {
        using var dir = new TempDirectory();
        DatasetFixtures.Manifest(dir.File("data"));
        var cache = new FeatureCache(dir.File("cache"), DatasetFixtures.Settings);
        var clean = File.ReadAllBytes(cache.GetOrCompute(Audio(dir), out _).CachePath);
        var damaged = clean.ToArray();
        damaged[position >= 0 ? position : damaged.Length + position] ^= 0x20;
        File.WriteAllBytes(cache.EntryPath(Audio(dir)), damaged);

        var warnings = new List<string>();
        var again = cache.GetOrCompute(Audio(dir), out var computed, warnings.Add);

        Assert.True(computed);
        Assert.Equal(clean, File.ReadAllBytes(again.CachePath));
        var warning = Assert.Single(warnings);
        Assert.StartsWith(again.CachePath + ": damaged feature-cache entry of " + Audio(dir), warning);
    }

    [Fact]
    public void An_entry_of_another_audio_file_is_recomputed()
    {
        using var dir = new TempDirectory();
        DatasetFixtures.Manifest(dir.File("data"));
        var cache = new FeatureCache(dir.File("cache"), DatasetFixtures.Settings);
        var other = cache.GetOrCompute(Path.Combine(dir.File("data"), "clips", "a1.wav"), out _);
        var clean = File.ReadAllBytes(cache.GetOrCompute(Audio(dir), out _).CachePath);
        File.Copy(other.CachePath, cache.EntryPath(Audio(dir)), overwrite: true);

        var warnings = new List<string>();
        cache.GetOrCompute(Audio(dir), out var computed, warnings.Add);

        Assert.True(computed);
        Assert.Equal(clean, File.ReadAllBytes(cache.EntryPath(Audio(dir))));
        Assert.Contains("another audio file or other front-end settings", Assert.Single(warnings));
    }

    [Fact]
    public void A_clean_entry_is_used_without_a_warning()
    {
        using var dir = new TempDirectory();
        DatasetFixtures.Manifest(dir.File("data"));
        var cache = new FeatureCache(dir.File("cache"), DatasetFixtures.Settings);
        cache.GetOrCompute(Audio(dir), out _);
        var warnings = new List<string>();
        cache.GetOrCompute(Audio(dir), out var computed, warnings.Add);
        Assert.False(computed);
        Assert.Empty(warnings);
    }

    [Fact]
    public void An_entry_changed_in_place_after_it_was_checked_is_refused_when_mapped()
    {
        using var dir = new TempDirectory();
        DatasetFixtures.Manifest(dir.File("data"));
        using var loaded = DatasetLoader.Load(dir.File("data"), DatasetFixtures.Settings, new DatasetLoadOptions { CacheDirectory = dir.File("cache"), Threads = 1 });
        // Every entry was checked when the data was loaded; now they all change in place (same file, no rename).
        foreach (var entry in Directory.GetFiles(dir.File("cache"), "*.f32", SearchOption.AllDirectories))
        {
            using var stream = new FileStream(entry, FileMode.Open, FileAccess.ReadWrite);
            stream.Position = stream.Length - 1;
            var last = stream.ReadByte();
            stream.Position = stream.Length - 1;
            stream.WriteByte((byte)(last ^ 0x01));
        }

        var error = Assert.Throws<UserInputException>(() => loaded.Splits.Validation.CopyFeatures(0, new float[loaded.Splits.Validation.ExampleShape.Elements]));
        Assert.Contains("changed after it was checked", error.Message);
        Assert.Contains(".wav", error.Message);
    }
}
