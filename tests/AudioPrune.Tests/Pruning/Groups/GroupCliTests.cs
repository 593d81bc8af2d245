using System.Text.Json;
using AudioPrune.Graph;
using AudioPrune.Graph.Nodes;
using AudioPrune.Pruning.Planning;

namespace AudioPrune.Tests.Pruning.Groups;

/// <summary>inspect lists channel groups; prune takes group and member names on a residual graph given as JSON; plans re-apply.</summary>
public sealed class GroupCliTests
{
    [Fact]
    public void Inspect_lists_the_groups_after_the_layers_and_in_its_json()
    {
        using var dir = new TempDirectory();
        var path = Residual(dir);
        var json = dir.File("inspect.json");
        var result = CliRunner.Run("inspect", path, "--json", json);
        Assert.Equal(0, result.ExitCode);
        var lines = result.Output.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("stem ") && l.Contains("stem, c2") && l.Contains("yes") && l.Contains("sum_relu"));
        Assert.True(Array.FindIndex(lines, l => l.StartsWith("channel groups")) > Array.FindIndex(lines, l => l.StartsWith("c1 ")));
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var stem = doc.RootElement.GetProperty("groups")[0];
        Assert.Equal("stem", stem.GetProperty("name").GetString());
        Assert.Equal(8, stem.GetProperty("channels").GetInt32());
        Assert.Equal(["stem", "c2"], stem.GetProperty("convs").EnumerateArray().Select(e => e.GetString()));
        Assert.True(stem.GetProperty("prunable").GetBoolean());
    }

    [Fact]
    public void Prune_cuts_a_residual_group_named_by_a_member_and_its_plan_reapplies()
    {
        using var dir = new TempDirectory();
        var path = Residual(dir);
        var (model, plan) = (dir.File("p.safetensors"), dir.File("plan.json"));
        var run = CliRunner.Run("prune", path, "--method", "l1", "--layers", "c2,c*", "--ratio", "0.5", "--out", model, "--plan", plan);
        Assert.Equal(0, run.ExitCode);
        var pruned = ModelArtifact.Load(model).Graph;
        Assert.Equal([4, 4, 4, 6], pruned.ConvLayers.Select(c => c.OutChannels)); // stem, c1, c2 (stem's group), head
        var read = PlanFile.Read(plan);
        Assert.Equal(PruningPlan.Format2, read.Format);
        Assert.Equal(["stem", "c2"], read.Layers[0].Group!.Convs);
        Assert.Null(read.Layers[1].Group);

        var again = dir.File("again.safetensors");
        Assert.Equal(0, CliRunner.Run("prune", path, "--plan-in", plan, "--out", again).ExitCode);
        Assert.Equal(GraphJson.Serialize(pruned), GraphJson.Serialize(ModelArtifact.Load(again).Graph));
    }

    [Theory]
    [InlineData("group 'a' cannot be pruned: it reaches the network output ('sum')", "sum")]
    [InlineData("layer 'nothing' does not exist", "nothing")]
    public void Bad_group_requests_exit_2_with_one_line(string expected, string layers)
    {
        using var dir = new TempDirectory();
        var graph = new NetworkGraph("to_out", new Shape(2, 8, 8),
        [
            .. CoupledNetworks.Block("stem", "input", 2, 4), .. CoupledNetworks.Block("a", "stem_relu", 4, 4),
            CoupledNetworks.Conv("sum_in", "a_relu", 4, 4), new AddNode { Name = "sum", Inputs = ["a_relu", "sum_in"] },
        ]);
        var path = dir.File("net.json");
        File.WriteAllText(path, GraphJson.Serialize(graph));
        var result = CliRunner.Run("prune", path, "--method", "l1", "--ratio", "0.5", "--layers", layers, "--out", dir.File("x.safetensors"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Error);
        Assert.Single(result.Error.TrimEnd().Split('\n'));
    }

    private static string Residual(TempDirectory dir)
    {
        var path = dir.File("residual.json");
        File.WriteAllText(path, GraphJson.Serialize(CoupledNetworks.Create("identity_residual")));
        return path;
    }
}
