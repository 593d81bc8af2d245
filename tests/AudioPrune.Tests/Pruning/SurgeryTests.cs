using AudioPrune.Common;
using AudioPrune.Graph;
using AudioPrune.Graph.Nodes;
using AudioPrune.Graph.Torch;
using AudioPrune.Pruning.Planning;
using AudioPrune.Pruning.Surgery;
using AudioPrune.Zoo;
using TorchSharp;
using static TorchSharp.torch;

namespace AudioPrune.Tests.Pruning;

/// <summary>
/// The rebuilt network must compute exactly what the original computes with the pruned filters silenced
/// (weight, bias and batch-norm gamma and beta zeroed): then the cut channels carry exact zeros, which is all
/// the next layer ever saw from them.
/// </summary>
[Collection(TorchSerialCollection.Name)]
[Trait("Category", "Slow")]
public sealed class SurgeryTests
{
    public static TheoryData<string> Methods => new(CriterionCatalog.Names);

    [Theory]
    [MemberData(nameof(Methods))]
    public void Dcase21_at_full_size_rebuilt_equals_zeroed_original(string method) =>
        AssertEquivalent(ModelZoo.Create("dcase21").Graph, method, seed: 1);

    [Theory]
    [MemberData(nameof(Methods))]
    public void Cnn6_rebuilt_equals_zeroed_original(string method) =>
        AssertEquivalent(ModelZoo.Create("cnn6", classes: 10, input: new Shape(1, 64, 64)).Graph, method, seed: 2);

    [Fact]
    public void Vggish_rebuilt_equals_zeroed_original() =>
        AssertEquivalent(ModelZoo.Create("vggish").Graph, "similarity", seed: 3);

    /// <summary>CNN10 has CNN14's block structure at a sixteenth of the weights (CNN14 in float64 alone takes a minute).</summary>
    [Fact]
    public void Cnn10_small_input_rebuilt_equals_zeroed_original() =>
        AssertEquivalent(ModelZoo.Create("cnn10", classes: 10, input: new Shape(1, 64, 64)).Graph, "opnorm", seed: 4);

    [Fact]
    public void Add_couples_its_branches_so_pruning_the_group_cuts_both_and_a_member_name_is_refused()
    {
        var graph = Branches(new AddNode { Name = "sum", Inputs = ["a", "b"] });
        var weights = WeightInitializer.Initialize(graph, 0);
        var (newGraph, newWeights) = NetworkSurgery.Apply(graph, weights, new Dictionary<string, int[]> { ["a"] = [0, 2] });
        Assert.Equal(2, ((Conv2dNode)newGraph["a"]).OutChannels);
        Assert.Equal(2, ((Conv2dNode)newGraph["b"]).OutChannels);
        Assert.Equal(weights["b.bias"].Data[2], newWeights["b.bias"].Data[1]);
        var e = Assert.Throws<UserInputException>(() => NetworkSurgery.Apply(graph, weights, new Dictionary<string, int[]> { ["b"] = [0, 1] }));
        Assert.Contains("group 'a'", e.Message);
    }

    [Fact]
    public void Concat_maps_a_pruned_branch_to_its_channel_range_of_the_joined_map()
    {
        var graph = Branches(new ConcatNode { Name = "joined", Inputs = ["a", "b"] });
        var weights = WeightInitializer.Initialize(graph, 0);
        var (newGraph, newWeights) = NetworkSurgery.Apply(graph, weights, new Dictionary<string, int[]> { ["b"] = [1] });
        Assert.Equal(5, ((LinearNode)newGraph["fc"]).InFeatures);
        var fc = weights["fc.weight"];
        Assert.Equal(new[] { 0, 1, 2, 3, 5 }.Select(c => fc.Data[c]), newWeights["fc.weight"].Data.Take(5));
    }

    [Fact]
    public void Grouped_conv_that_is_not_depthwise_is_refused_naming_it()
    {
        var graph = new NetworkGraph("grouped", new Shape(1, 8, 8),
        [
            new Conv2dNode { Name = "a", Inputs = ["input"], InChannels = 1, OutChannels = 4, Kernel = Size2.Square(3) },
            new Conv2dNode { Name = "pairs", Inputs = ["a"], InChannels = 4, OutChannels = 4, Kernel = Size2.Square(3), Groups = 2 },
            new GlobalPoolNode { Name = "pool", Inputs = ["pairs"], Kind = GlobalPoolKind.Avg, Axes = [1, 2] },
            new LinearNode { Name = "fc", Inputs = ["pool"], InFeatures = 4, OutFeatures = 2 },
        ]);
        var e = Assert.Throws<UserInputException>(() =>
            NetworkSurgery.Apply(graph, WeightInitializer.Initialize(graph, 0), new Dictionary<string, int[]> { ["a"] = [0, 2] }));
        Assert.Contains("'pairs'", e.Message);
    }

    [Fact]
    public void Pruning_the_layer_that_is_the_output_is_refused()
    {
        var graph = new NetworkGraph("convout", new Shape(1, 8, 8),
            [new Conv2dNode { Name = "only", Inputs = ["input"], InChannels = 1, OutChannels = 4, Kernel = Size2.Square(3) }]);
        var e = Assert.Throws<UserInputException>(() =>
            NetworkSurgery.Apply(graph, WeightInitializer.Initialize(graph, 0), new Dictionary<string, int[]> { ["only"] = [0] }));
        Assert.Contains("'only'", e.Message);
    }

    [Fact]
    public void Flatten_then_linear_keeps_the_columns_of_the_kept_channels()
    {
        var graph = new SequentialBuilder("flat", new Shape(1, 2, 3)).Conv("c", 3, 1).Flatten("f").Linear("fc", 2).Build();
        var weights = WeightInitializer.Initialize(graph, 0);
        var fc = weights["fc.weight"];
        var (newGraph, newWeights) = NetworkSurgery.Apply(graph, weights, new Dictionary<string, int[]> { ["c"] = [0, 2] });
        Assert.Equal(12, ((LinearNode)newGraph["fc"]).InFeatures);
        var sliced = newWeights["fc.weight"];
        for (var o = 0; o < 2; o++)
        {
            for (var k = 0; k < 6; k++)
            {
                Assert.Equal(fc.Data[o * 18 + k], sliced.Data[o * 12 + k]); // channel 0: columns 0..5
                Assert.Equal(fc.Data[o * 18 + 12 + k], sliced.Data[o * 12 + 6 + k]); // channel 2: columns 12..17
            }
        }
    }

    private static NetworkGraph Branches(Node join) => new("branches", new Shape(1, 8, 8),
    [
        new Conv2dNode { Name = "a", Inputs = ["input"], InChannels = 1, OutChannels = 4, Kernel = Size2.Square(3), Padding = Size2.Square(1) },
        new Conv2dNode { Name = "b", Inputs = ["input"], InChannels = 1, OutChannels = 4, Kernel = Size2.Square(3), Padding = Size2.Square(1) },
        join,
        new GlobalPoolNode { Name = "pool", Inputs = [join.Name], Kind = GlobalPoolKind.Avg, Axes = [1, 2] },
        new FlattenNode { Name = "flat", Inputs = ["pool"] },
        new LinearNode { Name = "fc", Inputs = ["flat"], InFeatures = join is ConcatNode ? 8 : 4, OutFeatures = 2 },
    ]);

    private static void AssertEquivalent(NetworkGraph graph, string method, int seed)
    {
        var weights = WeightInitializer.Initialize(graph, seed);
        RandomiseBatchNorm(graph, weights, seed);
        var request = new PruningRequest
        {
            Method = method,
            Ratio = method is "similarity" or "nystrom" ? null : 0.4,
            Criterion = new CriterionOptions { Seed = seed },
        };
        var result = PruningPlanner.Run(graph, weights, request);
        Assert.All(result.Plan.Layers, l => Assert.True(l.Kept.Length < l.Filters, $"{method} pruned nothing in {l.Name}"));

        var silenced = weights.Clone();
        foreach (var layer in result.Plan.Layers) Silence(graph, silenced, layer.Name, layer.Pruned);

        // Logits (no softmax/sigmoid head), evaluation mode, one example, in float64: float32 convolutions with
        // different channel counts pick different summation orders (and algorithms), which alone moves deep
        // networks' outputs by 1e-4; in float64 any difference above 1e-5 is a wrong slice.
        using var scope = NewDisposeScope();
        manual_seed(seed);
        var input = randn([1, .. graph.Input.Dims.Select(d => (long)d)], dtype: ScalarType.Float64);
        using var original = TorchGraphModule.Create(graph.WithoutProbabilityHead(), Without(silenced, graph));
        using var rebuilt = TorchGraphModule.Create(result.Graph.WithoutProbabilityHead(), Without(result.Weights, result.Graph));
        original.to(ScalarType.Float64);
        rebuilt.to(ScalarType.Float64);
        using var noGrad = no_grad();
        var expected = original.call(input);
        var actual = rebuilt.call(input);
        var scale = Math.Max(1.0, expected.abs().max().item<double>());
        var difference = (expected - actual).abs().max().item<double>();
        Assert.True(difference <= 1e-5 * scale, $"{graph.Name}/{method}: outputs differ by {difference} (scale {scale})");

        var parameters = result.Weights.Entries.Sum(e => e.Value.Elements);
        Assert.Equal(ComplexityReport.Of(result.Graph).ParamsTotal, parameters);
        Assert.Equal(result.Plan.After.ParamsTotal, parameters);
    }

    /// <summary>The weights without the head's (it has none), in the headless graph's order.</summary>
    private static WeightMap Without(WeightMap weights, NetworkGraph graph) => weights.OrderedLike(graph.WithoutProbabilityHead());

    /// <summary>Non-trivial batch-norm statistics, so that a wrong slice of them shows in the output.</summary>
    private static void RandomiseBatchNorm(NetworkGraph graph, WeightMap weights, int seed)
    {
        var random = new Random(seed);
        foreach (var bn in graph.NodesOf<BatchNormNode>())
        {
            foreach (var (suffix, low, high) in new[] { ("weight", 0.5, 1.5), ("bias", -0.2, 0.2), ("running_mean", -0.1, 0.1), ("running_var", 0.5, 2.0) })
            {
                var t = weights[$"{bn.Name}.{suffix}"];
                for (var i = 0; i < t.Data.Length; i++) t.Data[i] = (float)(low + (high - low) * random.NextDouble());
            }
        }
    }

    private static void Silence(NetworkGraph graph, WeightMap weights, string conv, int[] pruned)
    {
        var names = new List<string> { $"{conv}.weight" };
        if (weights.Contains($"{conv}.bias")) names.Add($"{conv}.bias");
        var bn = graph.ConsumersOf(conv).OfType<BatchNormNode>().FirstOrDefault();
        if (bn is not null) names.AddRange([$"{bn.Name}.weight", $"{bn.Name}.bias"]);
        foreach (var name in names)
        {
            var t = weights[name];
            var per = t.Data.Length / t.Shape[0];
            foreach (var f in pruned) Array.Clear(t.Data, f * per, per);
        }
    }
}
