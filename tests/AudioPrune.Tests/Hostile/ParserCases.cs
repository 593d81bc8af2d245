using System.Text;

namespace AudioPrune.Tests.Hostile;

/// <summary>Family: configs and JSON files built to exhaust the parsers (depth, alias bombs, size).</summary>
[Collection(HostileCollection.Name)]
[Trait("Category", "Slow")]
public sealed class ParserCases
{
    private static HostileRun Experiment(TempDirectory dir, string config)
    {
        File.WriteAllText(dir.File("study.yaml"), config);
        return HostileRun.Start(dir.Path, ["experiment", "study.yaml", "--out", "s"]);
    }

    [Theory]
    [InlineData("[")]
    [InlineData("{a: ")]
    [InlineData("{\"a\": [")]
    public void DeeplyNestedYamlIsRefusedWithItsLine(string open)
    {
        using var dir = new TempDirectory();
        Experiment(dir, "model: " + string.Concat(Enumerable.Repeat(open, 30_000))).Refused("study.yaml", "line", "nest deeper than 64");
    }

    [Fact]
    public void DeeplyIndentedBlockMappingsAreRefused()
    {
        using var dir = new TempDirectory();
        var text = new StringBuilder();
        for (var i = 0; i < 200; i++) text.Append(' ', i).Append("k:\n");
        Experiment(dir, text.ToString()).Refused("study.yaml", "line", "nest deeper than 64");
    }

    [Fact]
    public void DeeplyNestedJsonConfigIsRefused()
    {
        using var dir = new TempDirectory();
        Experiment(dir, "{\"model\": " + new string('[', 30_000) + new string(']', 30_000) + "}").Refused("study.yaml", "line");
    }

    [Fact]
    public void BillionLaughsAsAValueIsRefused()
    {
        using var dir = new TempDirectory();
        Experiment(dir, LaughBomb() + "model: *l9\n").Refused("study.yaml", "line", "aliases are expanded");
    }

    [Theory]
    [InlineData(9, "aliases are expanded")]
    [InlineData(3, "mapping key must be a plain value")]
    public void BillionLaughsAsAMappingKeyIsRefused(int levels, string problem)
    {
        using var dir = new TempDirectory();
        Experiment(dir, LaughBomb(levels) + $"? *l{levels}\n: x\n").Refused("study.yaml", "line", problem);
    }

    [Fact]
    public void ManyAliasesOfOneScalarAreRefused()
    {
        using var dir = new TempDirectory();
        Experiment(dir, "name: &n x\ncriteria: [" + string.Join(", ", Enumerable.Repeat("*n", 300)) + "]\n").Refused("study.yaml", "line", "aliases");
    }

    [Fact]
    public void AnAliasThatNestsPastTheLimitIsRefused()
    {
        using var dir = new TempDirectory();
        var deep = new string('[', 40) + new string(']', 40);
        Experiment(dir, $"a: &d {deep}\nb: {new string('[', 40)}*d{new string(']', 40)}\n").Refused("study.yaml", "line", "alias *d");
    }

    [Fact]
    public void ADuplicateKeyIsRefusedWithItsLine()
    {
        using var dir = new TempDirectory();
        Experiment(dir, "model: dcase21\ndata: synthetic\nmodel: vggish\n").Refused("study.yaml:3", "'model' is given twice");
    }

    [Fact]
    public void AnOversizedConfigIsRefusedBeforeReading()
    {
        using var dir = new TempDirectory();
        Experiment(dir, "model: dcase21\n#" + new string('x', 2_000_000) + "\n").Refused("study.yaml", "bytes");
    }

    /// <summary>l0 is a list of nine strings, each further level nine aliases of the one before: 9^levels values.</summary>
    private static string LaughBomb(int levels = 9)
    {
        var text = new StringBuilder("l0: &l0 [" + string.Join(",", Enumerable.Repeat("\"lol\"", 9)) + "]\n");
        for (var i = 1; i <= levels; i++)
            text.Append($"l{i}: &l{i} [{string.Join(",", Enumerable.Repeat($"*l{i - 1}", 9))}]\n");
        return text.ToString();
    }
}
