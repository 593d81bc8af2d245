using AudioPrune.Common;
using AudioPrune.Graph;
using AudioPrune.Graph.Nodes;
using AudioPrune.Pruning.Dependency;
using AudioPrune.Pruning.Planning;

namespace AudioPrune.Tests.Pruning.Groups;

/// <summary>The groups of every coupling pattern, listed by hand: name, channels, scoring convs, nodes, prunable.</summary>
public sealed class DependencyTests
{
    public static TheoryData<string, string[]> Expected => new()
    {
        { "plain", ["stem 6 [stem] stem,stem_bn,stem_relu", "body 8 [body] body,body_bn,body_relu,gap"] },
        { "identity_residual", [
            "stem 8 [stem,c2] stem,stem_bn,stem_relu,c2,c2_bn,sum,sum_relu", "c1 8 [c1] c1,c1_bn,c1_relu",
            "head 6 [head] head,head_bn,head_relu,gap"] },
        { "projection_residual", [
            "stem 6 [stem] stem,stem_bn,stem_relu", "c1 8 [c1] c1,c1_bn,c1_relu",
            "c2 8 [c2,proj] c2,c2_bn,proj,proj_bn,sum,sum_relu,gap"] },
        { "inverted_residual", [
            "stem 4 [stem,project] stem,stem_bn,stem_relu,project,project_bn,sum,gap",
            "expand 8 [expand,dw] expand,expand_bn,expand_relu,dw,dw_bn,dw_relu"] },
        { "concat", [
            "stem 4 [stem] stem,stem_bn,stem_relu", "b1 3 [b1] b1,b1_bn,b1_relu,cat", "b2 5 [b2] b2,b2_bn,b2_relu,cat",
            "mix 6 [mix] mix,mix_bn,mix_relu,pool,flat"] },
    };

    [Theory]
    [MemberData(nameof(Expected))]
    public void Each_pattern_has_the_groups_worked_out_by_hand(string pattern, string[] expected)
    {
        var groups = ChannelDependency.Analyse(CoupledNetworks.Create(pattern)).ConvGroups;
        Assert.Equal(expected, groups.Select(g => $"{g.Name} {g.Channels} [{string.Join(',', g.Sources.Select(s => s.Conv.Name))}] {string.Join(',', g.Nodes)}"));
        Assert.All(groups, g => Assert.True(g.Prunable, $"{pattern}/{g.Name}: {g.WhyNot}"));
    }

    [Fact]
    public void Concat_maps_the_second_source_to_its_offset_and_flatten_gives_each_channel_its_features()
    {
        var groups = ChannelDependency.Analyse(CoupledNetworks.Create("concat"));
        var b2 = groups.Find("b2")!;
        Assert.Equal([[3], [4], [5], [6], [7]], b2.Tensors.Single(t => t.Tensor == "cat").Units);
        var flat = groups.Find("mix")!.Tensors.Single(t => t.Tensor == "flat").Units;
        Assert.Equal(Enumerable.Range(32, 16), flat[2]);
        Assert.Contains(new ParameterSlice("cat", "mix.weight", 1), b2.Parameters);
        Assert.Contains(new ParameterSlice("flat", "fc.weight", 1), groups.Find("mix")!.Parameters);
    }

    [Fact]
    public void A_depthwise_conv_joins_its_producers_group_with_its_own_filters_cut_on_axis_0_only()
    {
        var expand = ChannelDependency.Analyse(CoupledNetworks.Create("inverted_residual")).Find("expand")!;
        Assert.Contains(new ParameterSlice("dw", "dw.weight", 0), expand.Parameters);
        Assert.DoesNotContain(expand.Parameters, p => p.Parameter == "dw.weight" && p.Axis == 1);
        Assert.Contains(new ParameterSlice("dw_relu", "project.weight", 1), expand.Parameters);
    }

    [Fact]
    public void A_group_that_reaches_the_output_or_the_input_or_a_grouped_conv_is_not_prunable_and_says_why()
    {
        var toOutput = new NetworkGraph("out", new Shape(2, 8, 8), [.. CoupledNetworks.Block("a", "input", 2, 4), CoupledNetworks.Conv("b", "a_relu", 4, 4)]);
        Assert.Contains("network output ('b')", ChannelDependency.Analyse(toOutput).Find("b")!.WhyNot);

        var fromInput = new NetworkGraph("in", new Shape(4, 8, 8),
            [CoupledNetworks.Conv("a", "input", 4, 4), new AddNode { Name = "sum", Inputs = ["input", "a"] }, .. CoupledNetworks.Head("sum", 4)]);
        Assert.Contains("network input", ChannelDependency.Analyse(fromInput).Find("a")!.WhyNot);

        var grouped = new NetworkGraph("g", new Shape(2, 8, 8),
            [CoupledNetworks.Conv("a", "input", 2, 4), CoupledNetworks.Conv("pairs", "a", 4, 4, groups: 2), .. CoupledNetworks.Head("pairs", 4)]);
        var analysis = ChannelDependency.Analyse(grouped);
        Assert.Contains("grouped conv 'pairs'", analysis.Find("a")!.WhyNot);
        Assert.Equal(["a"], analysis.ConvGroups.Select(g => g.Name));
    }

    [Fact]
    public void A_node_type_without_a_rule_blocks_the_groups_it_touches()
    {
        var graph = CoupledNetworks.Create("plain");
        var rules = new ChannelRules([]);
        Assert.All(ChannelDependency.Analyse(graph, rules).ConvGroups, g => Assert.Contains("has no channel rule", g.WhyNot));
    }

    [Theory]
    [InlineData("c2", new[] { "stem" })]
    [InlineData("sum", new[] { "stem" })]
    [InlineData("stem", new[] { "stem" })]
    [InlineData("c*", new[] { "stem", "c1" })]
    [InlineData("3", new[] { "head" })]
    [InlineData(null, new[] { "stem", "c1", "head" })]
    public void Layers_select_groups_by_group_or_member_name_glob_or_conv_index(string? spec, string[] expected) =>
        Assert.Equal(expected, LayerSelector.Select(CoupledNetworks.Create("identity_residual"), spec).Select(g => g.Name));

    [Theory]
    [InlineData("fc", "'fc' is a linear layer")]
    [InlineData("nothing", "'nothing' does not exist")]
    public void Bad_group_choices_are_refused_by_name(string spec, string message) =>
        Assert.Contains(message, Assert.Throws<UserInputException>(() => LayerSelector.Select(CoupledNetworks.Create("identity_residual"), spec)).Message);

    [Fact]
    public void Naming_a_group_that_reaches_the_output_is_refused_with_the_reason()
    {
        var graph = new NetworkGraph("out", new Shape(2, 8, 8), [.. CoupledNetworks.Block("a", "input", 2, 4), CoupledNetworks.Conv("b", "a_relu", 4, 4)]);
        Assert.Equal(["a"], LayerSelector.Select(graph, null).Select(g => g.Name));
        var e = Assert.Throws<UserInputException>(() => LayerSelector.Select(graph, "b"));
        Assert.Contains("group 'b' cannot be pruned: it reaches the network output", e.Message);
    }
}
