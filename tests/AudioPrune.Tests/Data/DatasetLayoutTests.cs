using AudioPrune.Common;
using AudioPrune.Data;
using AudioPrune.Data.Layouts;

namespace AudioPrune.Tests.Data;

public sealed class DatasetLayoutTests
{
    [Fact]
    public void Tau_layout_uses_evaluation_setup_lists_and_locations_as_groups()
    {
        using var dir = new TempDirectory();
        DatasetFixtures.Tau(dir.Path);
        var d = DatasetDetector.Read(dir.Path);
        Assert.Equal("dcase-tau", d.Layout);
        Assert.Equal(["airport", "park"], d.ClassNames);
        Assert.Equal(12, d.Entries.Count(e => e.Split == SplitNames.Train));
        Assert.Equal(4, d.Entries.Count(e => e.Split == SplitNames.Test));
        Assert.All(d.Entries, e => Assert.StartsWith("lisbon-", e.Group));
        Assert.All(d.Entries, e => Assert.True(File.Exists(e.FullPath)));
    }

    [Fact]
    public void Esc50_and_urbansound8k_layouts_read_folds_and_groups()
    {
        using var esc = new TempDirectory();
        DatasetFixtures.Esc50(esc.Path);
        var e = DatasetDetector.Read(esc.Path);
        Assert.Equal("esc50", e.Layout);
        Assert.Equal([1, 2, 3, 4, 5], e.Entries.Select(x => x.Fold!.Value).Distinct().Order());
        Assert.Equal(["dog", "rain"], e.ClassNames);

        using var us = new TempDirectory();
        DatasetFixtures.UrbanSound8K(us.Path);
        var u = DatasetDetector.Read(us.Path);
        Assert.Equal("urbansound8k", u.Layout);
        Assert.All(u.Entries, x => Assert.StartsWith($"audio/fold{x.Fold}/", x.RelativePath));
        Assert.All(u.Entries, x => Assert.True(File.Exists(x.FullPath)));
    }

    [Fact]
    public void Class_folders_and_manifests_are_recognised()
    {
        using var folders = new TempDirectory();
        DatasetFixtures.ClassFolders(folders.Path);
        var f = DatasetDetector.Read(folders.Path);
        Assert.Equal(("class-folders", 15), (f.Layout, f.Entries.Count));
        Assert.Equal(["cat", "cow", "owl"], f.ClassNames);

        using var manifest = new TempDirectory();
        var csv = DatasetFixtures.Manifest(manifest.Path, splitColumn: true, groups: true);
        foreach (var path in new[] { csv, manifest.Path })
        {
            var m = DatasetDetector.Read(path);
            Assert.Equal(("csv-manifest", 18), (m.Layout, m.Entries.Count));
            Assert.Contains(m.Entries, x => x.Split == SplitNames.Validation);
            Assert.All(m.Entries, x => Assert.NotNull(x.Group));
        }
    }

    [Fact]
    public void An_unrecognised_folder_is_one_clear_error_listing_the_layouts()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("readme.txt"), "no audio here");
        var error = Assert.Throws<UserInputException>(() => DatasetDetector.Read(dir.Path));
        Assert.Contains("not recognised", error.Message);
        Assert.Contains("ESC-50", error.Message);
        Assert.Contains("UrbanSound8K", error.Message);
        Assert.Contains("manifest", error.Message);
    }

    [Theory]
    [InlineData("../outside.wav", "outside the dataset root")]
    [InlineData("clips/../../outside.wav", "outside the dataset root")]
    [InlineData("/etc/passwd", "absolute path")]
    [InlineData("link/escape.wav", "outside the dataset root")]
    public void Manifest_paths_cannot_escape_the_dataset_root(string fileName, string reason)
    {
        using var dir = new TempDirectory();
        var root = Path.Combine(dir.Path, "data");
        Directory.CreateDirectory(root);
        var outside = Path.Combine(dir.Path, "elsewhere");
        Directory.CreateDirectory(outside);
        DatasetFixtures.Wav(outside, "escape.wav", 1);
        Directory.CreateSymbolicLink(Path.Combine(root, "link"), outside);
        DatasetFixtures.Wav(root, "ok.wav", 2);
        File.WriteAllLines(Path.Combine(root, "manifest.csv"), ["filename,label", "ok.wav,x", $"{fileName},y"]);
        var error = Assert.Throws<UserInputException>(() => DatasetDetector.Read(root));
        Assert.Contains("manifest.csv: line 3", error.Message);
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void Manifest_without_label_column_or_with_a_bad_split_is_explained()
    {
        using var dir = new TempDirectory();
        File.WriteAllLines(dir.File("manifest.csv"), ["file_name,category_name", "a.wav,x"]);
        Assert.Contains("no 'filename' column", Assert.Throws<UserInputException>(() => DatasetDetector.Read(dir.Path)).Message);
        File.WriteAllLines(dir.File("manifest.csv"), ["filename,label,split", "a.wav,x,holdout"]);
        Assert.Contains("split 'holdout'", Assert.Throws<UserInputException>(() => DatasetDetector.Read(dir.Path)).Message);
    }
}
