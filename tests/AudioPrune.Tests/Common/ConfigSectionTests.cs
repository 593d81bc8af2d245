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
}
