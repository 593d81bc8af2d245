using AudioPrune.Common;
using AudioPrune.Study;

namespace AudioPrune.Tests.Common;

public sealed class ConfigSectionTests
{
    private static ConfigSection Load(TempDirectory dir, string text)
    {
        var path = dir.File("study.yaml");
        File.WriteAllText(path, text);
        return ConfigSection.Load(path);
    }

    [Fact]
    public void ReadsValuesListsAndSections()
    {
        using var dir = new TempDirectory();
        var config = Load(dir, """
            model: dcase21
            fractions: [1.0, 0.75]
            seeds: 3
            finetune:
              epochs: 5
            layers:
              C1: [conv1]
              C12: [conv1, conv2]
            """);
        Assert.Equal("dcase21", config.String("model"));
        Assert.Equal([1.0, 0.75], config.Doubles("fractions", [], 0, 1));
        Assert.Equal([3], config.Ints("seeds", []));
        Assert.Equal(5, config.Section("finetune")!.Int("epochs", 30));
        var sets = config.NamedLists("layers");
        Assert.Equal(["C1", "C12"], sets.Select(s => s.Name));
        Assert.Equal(["conv1", "conv2"], sets[1].Values);
        config.EnsureAllKeysUsed();
    }

    [Fact]
    public void UnknownKeyNamesTheLine()
    {
        using var dir = new TempDirectory();
        var config = Load(dir, "model: dcase21\nfinetune:\n  epochs: 5\n  learning_rte: 0.1\n");
        config.String("model");
        var finetune = config.Section("finetune")!;
        finetune.Int("epochs", 1);
        finetune.Double("lr", 0.001);
        var e = Assert.Throws<UserInputException>(finetune.EnsureAllKeysUsed);
        Assert.Equal($"{dir.File("study.yaml")}:4: unknown key 'finetune.learning_rte' (known here: epochs, lr)", e.Message);
    }

    [Fact]
    public void BadValuesNameTheLineAndKey()
    {
        using var dir = new TempDirectory();
        var config = Load(dir, "model: dcase21\nfractions: [1.0, 1.5]\n");
        var e = Assert.Throws<UserInputException>(() => config.Doubles("fractions", [], 0, 1));
        Assert.Contains("study.yaml:2: fractions: 1.5 is outside [0, 1]", e.Message);
        Assert.Contains("missing required key 'data'", Assert.Throws<UserInputException>(() => config.String("data")).Message);
    }

    [Fact]
    public void InvalidYamlIsAUserError()
    {
        using var dir = new TempDirectory();
        var path = dir.File("bad.yaml");
        File.WriteAllText(path, "model: [unclosed\n");
        Assert.StartsWith($"{path}:", Assert.Throws<UserInputException>(() => ConfigSection.Load(path)).Message);
    }

    [Fact]
    public void AliasesShareTheirAnchorsValue()
    {
        using var dir = new TempDirectory();
        var config = Load(dir, "model: &m dcase21\nbaseline: *m\nseeds: &s [1, 2]\nother: *s\n");
        Assert.Equal("dcase21", config.String("baseline"));
        Assert.Equal([1, 2], config.Ints("other", []));
    }

    [Fact]
    public void NestingUpToTheLimitIsReadAndOneDeeperIsRefused()
    {
        using var dir = new TempDirectory();
        // The root mapping is one level, so 63 lists reach the limit of 64.
        var fits = Load(dir, "model: " + new string('[', 63) + "x" + new string(']', 63) + "\n");
        Assert.True(fits.Has("model"));
        var path = dir.File("study.yaml");
        File.WriteAllText(path, "model: " + new string('[', 64) + "x" + new string(']', 64) + "\n");
        Assert.Contains("nest deeper than 64", Assert.Throws<UserInputException>(() => ConfigSection.Load(path)).Message);
    }

    [Theory]
    [InlineData("model: a\nmodel: b\n", "study.yaml:2: key 'model' is given twice")]
    [InlineData("? [a, b]\n: c\n", "study.yaml:1: a mapping key must be a plain value")]
    [InlineData("model: *nothing\n", "alias *nothing names no earlier anchor")]
    [InlineData("model: a\n---\nmodel: b\n", "several documents")]
    public void MalformedStructuresAreRefusedWithTheLine(string text, string expected)
    {
        using var dir = new TempDirectory();
        var path = dir.File("study.yaml");
        File.WriteAllText(path, text);
        Assert.Contains(expected, Assert.Throws<UserInputException>(() => ConfigSection.Load(path)).Message);
    }
}
