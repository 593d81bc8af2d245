using AudioPrune.Common;
using AudioPrune.Graph;
using AudioPrune.Pruning.Planning;
using AudioPrune.Zoo;

namespace AudioPrune.Tests.Pruning.Groups;

/// <summary>Plans of plain networks stay format 1 and re-apply; group records are checked against the model's groups.</summary>
public sealed class PlanCompatibilityTests
{
    [Fact]
    public void A_plain_network_still_writes_a_format_1_plan_without_group_records_that_reapplies()
    {
        var graph = ModelZoo.Create("dcase21").Graph;
        var weights = WeightInitializer.Initialize(graph, 3);
        using var temp = new TempDirectory();
        var path = temp.File("plan.json");
        var first = PruningPlanner.Run(graph, weights, new PruningRequest { Method = "similarity" });
        PlanFile.Write(path, first.Plan);
        var text = File.ReadAllText(path);
        Assert.Contains("\"audioprune-plan/1\"", text);
        Assert.DoesNotContain("\"group\"", text);
        var again = PruningPlanner.Run(graph, weights, new PruningRequest { PlanIn = PlanFile.Read(path), PlanInPath = path });
        Assert.Equal(first.Plan.Layers.Select(l => l.Kept), again.Plan.Layers.Select(l => l.Kept));
    }

    [Fact]
    public void A_layer_without_a_group_record_is_refused_where_the_model_couples_it()
    {
        var graph = CoupledNetworks.Create("identity_residual");
        var weights = CoupledNetworks.Weights(graph, 1);
        var plan = PruningPlanner.Run(graph, weights, new PruningRequest { Method = "l2", Ratio = 0.5, Layers = "stem" }).Plan;
        var stripped = plan with { Layers = [plan.Layers[0] with { Group = null }] };
        var e = Assert.Throws<UserInputException>(() => PruningPlanner.Run(graph, weights, new PruningRequest { PlanIn = stripped }));
        Assert.Contains("coupled with c2", e.Message);

        var other = plan with { Layers = [plan.Layers[0] with { Group = new GroupRecord(["stem"], ["stem"]) }] };
        e = Assert.Throws<UserInputException>(() => PruningPlanner.Run(graph, weights, new PruningRequest { PlanIn = other }));
        Assert.Contains("the model's [stem, c2]", e.Message);
    }

    [Fact]
    public void A_format_1_file_that_records_a_group_is_damaged()
    {
        var graph = CoupledNetworks.Create("identity_residual");
        var plan = PruningPlanner.Run(graph, CoupledNetworks.Weights(graph, 1), new PruningRequest { Method = "l1", Ratio = 0.5 }).Plan;
        using var temp = new TempDirectory();
        var path = temp.File("plan.json");
        PlanFile.Write(path, plan with { Format = PruningPlan.Format1 });
        Assert.Contains("records a channel group", Assert.Throws<UserInputException>(() => PlanFile.Read(path)).Message);
    }
}
