using AudioPrune.Study;

namespace AudioPrune.Tests.Study;

public sealed class StudyConfigTests
{
    [Fact]
    public void EveryExampleConfigIsValid()
    {
        var examples = Directory.GetFiles(RepositoryFiles.Path("examples"), "*.yaml");
        Assert.True(examples.Length >= 3, "the examples folder should hold the papers' studies");
        foreach (var path in examples)
        {
            var config = StudyConfigReader.Read(path);
            Assert.NotEmpty(config.Criteria);
            Assert.NotEmpty(config.LayerSets);
        }
        var layers = StudyConfigReader.Read(RepositoryFiles.Path("examples/interspeech2022-layers.yaml"));
        Assert.Equal(["C1", "C2", "C3", "C12", "C23", "C123"], layers.LayerSets.Select(s => s.Name));
        Assert.Equal("similarity", layers.Amount.MatchCriterion);
        var fractions = StudyConfigReader.Read(RepositoryFiles.Path("examples/interspeech2022-data-fraction.yaml"));
        Assert.Equal([1.0, 0.75, 0.5, 0.25], fractions.Fractions);
    }

    [Theory]
    [InlineData("criteria: [similarity, magnitude]", "study.yaml:4: criteria: unknown criterion 'magnitude'")]
    [InlineData("criteria: [similarity]\nlayers: {C9: [conv9]}", "study.yaml:5: layers: layer set 'C9'")]
    [InlineData("criteria: [l1]\nprune: {ratio: 0.5}\nfinetune: {epochs: 3, learning_rate: 0.1}", "study.yaml:6: unknown key 'finetune.learning_rate'")]
    [InlineData("criteria: [l1]", "need prune.ratio or prune.keep")]
    [InlineData("criteria: [similarity]\nseeds: [one]", "study.yaml:5: seeds: 'one' is not a whole number")]
    [InlineData("criteria: [similarity]\nbatch: 3", "study.yaml:5: unknown key 'batch'")]
    [InlineData("criteria: [similarity]\ncontrol: maybe", "study.yaml:5: control: 'maybe' is not true or false")]
    public void BadConfigsStopBeforeAnyWorkWithTheLine(string tail, string expected)
    {
        using var dir = new TempDirectory();
        var path = dir.File("study.yaml");
        File.WriteAllText(path, $"name: bad\ndata: synthetic\nmodel: dcase21\n{tail}\n");
        var outDir = dir.File("out");
        var result = CliRunner.Run("experiment", path, "--out", outDir);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Error);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void TheEqualScheduleControlIsOnUnlessSwitchedOff()
    {
        using var dir = new TempDirectory();
        var path = dir.File("study.yaml");
        const string Study = "data: synthetic\nmodel: dcase21\ncriteria: [similarity]\n";
        File.WriteAllText(path, Study);
        Assert.True(StudyConfigReader.Read(path).Control);
        File.WriteAllText(path, Study + "control: false\n");
        Assert.False(StudyConfigReader.Read(path).Control);
    }

    [Fact]
    public void MissingDatasetIsRefusedBeforeAnyWork()
    {
        using var dir = new TempDirectory();
        var path = dir.File("study.yaml");
        File.WriteAllText(path, "data: no/such/folder\nmodel: dcase21\ncriteria: [similarity]\n");
        var result = CliRunner.Run("experiment", path, "--out", dir.File("out"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("study.yaml:1: data: dataset 'no/such/folder' does not exist", result.Error);
        Assert.False(Directory.Exists(dir.File("out")));
    }
}
