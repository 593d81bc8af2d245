namespace AudioPrune.Tests.Data;

public sealed class CommandTests
{
    [Fact]
    public void Synth_then_features_prints_counts_durations_and_the_cache()
    {
        using var dir = new TempDirectory();
        var synth = CliRunner.Run("synth", dir.File("scenes"), "--clips", "16", "--seconds", "1", "--seed", "2");
        Assert.Equal(0, synth.ExitCode);
        Assert.Contains("wrote 16 clips", synth.Output);

        var features = CliRunner.Run("features", dir.File("scenes"), "--cache", dir.File("cache"));
        Assert.True(features.ExitCode == 0, features.Error);
        Assert.Contains("csv-manifest", features.Output);
        Assert.Contains("16 computed", features.Output);
        Assert.Contains("street_traffic", features.Output);
        Assert.Contains("mean 1.00 s", features.Output);
        Assert.Contains("skipped: 0 file(s)", features.Output);

        var again = CliRunner.Run("features", dir.File("scenes"), "--cache", dir.File("cache"));
        Assert.Contains("0 computed, 16 already cached", again.Output);
    }

    [Fact]
    public void Bad_files_are_listed_and_strict_stops_with_exit_code_2()
    {
        using var dir = new TempDirectory();
        var data = dir.File("data");
        DatasetFixtures.ClassFolders(data);
        File.WriteAllText(Path.Combine(data, "cow", "broken.wav"), "this is not audio");
        var lenient = CliRunner.Run("features", data, "--cache", dir.File("cache"), "--preset", "vggish");
        Assert.Equal(0, lenient.ExitCode);
        Assert.Contains("skipped: 1 file(s)", lenient.Output);
        Assert.Contains("broken.wav: not a WAV or OGG Vorbis file", lenient.Output);

        var strict = CliRunner.Run("features", data, "--cache", dir.File("cache"), "--preset", "vggish", "--strict");
        Assert.Equal(2, strict.ExitCode);
        Assert.Contains("broken.wav", strict.Error);
        Assert.StartsWith("audioprune: error:", strict.Error);
    }

    [Fact]
    public void Unknown_layout_and_preset_are_one_line_errors()
    {
        using var dir = new TempDirectory();
        var layout = CliRunner.Run("features", dir.Path);
        Assert.Equal(2, layout.ExitCode);
        Assert.Contains("dataset layout not recognised", layout.Error);
        DatasetFixtures.ClassFolders(dir.Path);
        var preset = CliRunner.Run("features", dir.Path, "--preset", "mfcc");
        Assert.Equal(2, preset.ExitCode);
        Assert.Contains("unknown front-end preset 'mfcc'", preset.Error);
    }
}
