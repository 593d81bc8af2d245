using AudioPrune.Graph;
using AudioPrune.Pruning;
using AudioPrune.Pruning.Dependency;
using AudioPrune.Pruning.Numerics;
using AudioPrune.Pruning.Planning;
using AudioPrune.Zoo;

namespace AudioPrune.Tests.Pruning.Groups;

/// <summary>Group scores: one member is today's verdict bit for bit; two members combine as docs/method.md says.</summary>
public sealed class GroupImportanceTests
{
    public static TheoryData<string> Criteria => new(CriterionCatalog.Names);

    [Theory]
    [MemberData(nameof(Criteria))]
    public void A_single_member_group_scores_and_keeps_exactly_as_the_layer_alone(string method)
    {
        foreach (var graph in new[] { ModelZoo.Create("dcase21").Graph, ModelZoo.Create("cnn6", classes: 10, input: new Shape(1, 64, 64)).Graph })
        {
            var weights = WeightInitializer.Initialize(graph, 11);
            var criterion = CriterionCatalog.Create(method, new CriterionOptions { Seed = 4 });
            var convIndex = graph.ConvLayers.Select((c, i) => (c.Name, i)).ToDictionary(x => x.Name, x => x.i);
            var groups = ChannelDependency.Analyse(graph).ConvGroups;
            Assert.Equal(graph.ConvLayers.Select(c => c.Name), groups.Select(g => g.Name));
            foreach (var group in groups)
            {
                var alone = criterion.Score(new FilterBank(group.Name, weights[$"{group.Name}.weight"], convIndex[group.Name]));
                var grouped = GroupImportance.Score(criterion, group, weights, c => convIndex[c]);
                Assert.Equal(alone.Scores, grouped.Scores);
                Assert.Equal(alone.Similarity?.Distances, grouped.Similarity?.Distances);
                int? keep = criterion.SelectsOwnCount() ? null : group.Channels / 3;
                Assert.Equal(alone.Kept(keep), grouped.Kept(keep));
            }
        }
    }

    [Fact]
    public void Score_criteria_sum_each_members_scores_over_its_mean()
    {
        // Means 2 and 2: (1/2 + 4/2, 2/2 + 0, 3/2 + 2/2) = (2.5, 1, 2.5).
        var combined = GroupImportance.Combine("g", [new LayerImportance("a", [1, 2, 3]), new LayerImportance("b", [4, 0, 2])]);
        Assert.Equal([2.5, 1, 2.5], combined.Scores);
        Assert.Equal([0, 2], combined.Kept(2));
        // A member with mean 0 says nothing; the other is still normalised.
        Assert.Equal([0.5, 1, 1.5], GroupImportance.Combine("g", [new LayerImportance("a", [0, 0, 0]), new LayerImportance("b", [1, 2, 3])]).Scores);
    }

    [Fact]
    public void Similarity_criteria_average_the_members_distance_matrices_and_run_the_greedy_pass_on_the_mean()
    {
        double[] d1 = [0, 0.2, 1.0, 0.2, 0, 0.6, 1.0, 0.6, 0];
        double[] d2 = [0, 1.0, 0.4, 1.0, 0, 0.8, 0.4, 0.8, 0];
        var combined = GroupImportance.Combine("g", [Analysed("a", d1), Analysed("b", d2)]);
        // Mean: d(0,1) = 0.6, d(0,2) = 0.7, d(1,2) = 0.7. Nearest: 0 -> 1, 1 -> 0, 2 -> 0 (tie with 1: lowest index).
        Assert.Equal([0, 0.6, 0.7, 0.6, 0, 0.7, 0.7, 0.7, 0], combined.Similarity!.Distances.Select(v => Math.Round(v, 12)));
        Assert.Equal([1, 0, 0], combined.Similarity.NearestNeighbour);
        Assert.Equal([0.6, 0.6, 0.7], combined.Scores.Select(v => Math.Round(v, 12)));
        // Greedy: visit 0 (0.6): keep 0, mark 1; visit 1: redundant; visit 2: keep 2 (its neighbour 0 is kept).
        Assert.Equal([0, 2], combined.Kept(null));
    }

    [Fact]
    public void A_two_member_group_is_scored_on_both_convs_filters()
    {
        var graph = CoupledNetworks.Create("identity_residual");
        var weights = CoupledNetworks.Weights(graph, 5);
        var group = ChannelDependency.Analyse(graph).Find("stem")!;
        var l1 = new AudioPrune.Pruning.Criteria.L1Importance();
        var byHand = new double[8];
        foreach (var conv in new[] { "stem", "c2" })
        {
            var w = weights[$"{conv}.weight"];
            var per = w.Data.Length / 8;
            var sums = Enumerable.Range(0, 8).Select(f => w.Data.Skip(f * per).Take(per).Sum(v => (double)Math.Abs(v))).ToArray();
            for (var f = 0; f < 8; f++) byHand[f] += sums[f] / sums.Average();
        }
        var scored = GroupImportance.Score(l1, group, weights, c => c == "stem" ? 0 : 2);
        Assert.Equal(byHand.Select(v => Math.Round(v, 9)), scored.Scores.Select(v => Math.Round(v, 9)));
    }

    private static LayerImportance Analysed(string name, double[] distances)
    {
        var (neighbour, nearest) = GreedySimilarity.NearestNeighbours(distances, 3, [0, 1, 2]);
        return new LayerImportance(name, nearest, new SimilarityAnalysis(distances, neighbour, nearest, [], [], null));
    }
}
