using AudioPrune.Graph;
using AudioPrune.Graph.Nodes;
using AudioPrune.Zoo;

namespace AudioPrune.Tests.Graph;

public sealed class GraphValidationTests
{
    private static Conv2dNode Conv(string name, string input, int inChannels, int outChannels) => new()
    {
        Name = name, Inputs = [input], InChannels = inChannels, OutChannels = outChannels, Kernel = Size2.Square(3), Padding = Size2.Square(1),
    };

    [Fact]
    public void InfersShapesThroughEveryNode()
    {
        var graph = ModelZoo.Create("cnn14", input: new Shape(1, 128, 64)).Graph;
        Assert.Equal(new Shape(64, 64, 32), graph.ShapeOf("block1_pool"));
        Assert.Equal(new Shape(2048, 4), graph.ShapeOf("freq_mean"));
        Assert.Equal(new Shape(2048), graph.ShapeOf("time_pool"));
        Assert.Equal(new Shape(527), graph.OutputShape);
    }

    [Fact]
    public void DeclaredSizesBeyondTheLimitsAreRefusedNamingTheNode()
    {
        var wide = Assert.Throws<GraphException>(() => new NetworkGraph("g", new Shape(1, 8, 8), [Conv("a", "input", 1, 1 << 30)]));
        Assert.Contains("node 'a'", wide.Message);
        Assert.Contains("bytes per example", wide.Message);
        // 40,000 x 40,000 filters of 1x1 keep the activations small but declare 1.6 G parameters.
        var heavy = Assert.Throws<GraphException>(() => new NetworkGraph("g", new Shape(40_000, 1, 1), [Conv("b", "input", 40_000, 40_000)]));
        Assert.Contains("node 'b'", heavy.Message);
        Assert.Contains("parameters", heavy.Message);
        Assert.Contains("input", Assert.Throws<GraphException>(() => new NetworkGraph("g", new Shape(1, int.MaxValue, int.MaxValue), [Conv("c", "input", 1, 1)])).Message);
        Assert.Equal(new Shape(4096, 8, 8), new NetworkGraph("g", new Shape(1, 8, 8), [Conv("d", "input", 1, 4096)]).OutputShape);
    }

    [Fact]
    public void ChannelMismatchNamesTheNode()
    {
        var e = Assert.Throws<GraphException>(() => new NetworkGraph("g", new Shape(1, 8, 8), [Conv("a", "input", 1, 4), Conv("b", "a", 3, 4)]));
        Assert.Contains("node 'b'", e.Message);
        Assert.Contains("expects 3 input channels", e.Message);
    }

    [Fact]
    public void UnknownInputAndDuplicateNamesAreRefused()
    {
        Assert.Contains("reads 'nowhere'", Assert.Throws<GraphException>(() =>
            new NetworkGraph("g", new Shape(1, 8, 8), [Conv("a", "nowhere", 1, 4)])).Message);
        Assert.Contains("used twice", Assert.Throws<GraphException>(() =>
            new NetworkGraph("g", new Shape(1, 8, 8), [Conv("a", "input", 1, 4), Conv("a", "a", 4, 4)])).Message);
        foreach (var bad in new[] { "a-b", "a..b", "a.", "0.a" })
            Assert.Contains("must be letters", Assert.Throws<GraphException>(() =>
                new NetworkGraph("g", new Shape(1, 8, 8), [Conv(bad, "input", 1, 4)])).Message);
    }

    [Fact]
    public void PyTorchModulePathsAreNodeNames()
    {
        var graph = new NetworkGraph("g", new Shape(1, 8, 8), [Conv("layer1.0.conv1", "input", 1, 4), Conv("features.3.block.1.0", "layer1.0.conv1", 4, 4)]);
        Assert.Equal("layer1.0.conv1.weight", graph.ParameterTensors.First().Name);
    }

    [Fact]
    public void AWindowLargerThanItsInputIsRefusedNotRoundedUpToOne()
    {
        var pool = new Pool2dNode { Name = "pool", Inputs = ["a"], Kind = PoolKind.Max, Kernel = Size2.Square(5), Stride = Size2.Square(5) };
        var fits = new NetworkGraph("g", new Shape(1, 5, 5), [Conv("a", "input", 1, 4), pool]);
        Assert.Equal(new Shape(4, 1, 1), fits.OutputShape);
        var e = Assert.Throws<GraphException>(() => new NetworkGraph("g", new Shape(1, 2, 2), [Conv("a", "input", 1, 4), pool]));
        Assert.Contains("does not fit", e.Message);
        var wide = new Conv2dNode { Name = "a", Inputs = ["input"], InChannels = 1, OutChannels = 4, Kernel = Size2.Square(7) };
        Assert.Throws<GraphException>(() => new NetworkGraph("g", new Shape(1, 4, 4), [wide]));
    }

    [Fact]
    public void ResidualAddNeedsEqualShapes()
    {
        var add = new AddNode { Name = "sum", Inputs = ["a", "b"] };
        var ok = new NetworkGraph("g", new Shape(1, 8, 8), [Conv("a", "input", 1, 4), Conv("b", "a", 4, 4), add]);
        Assert.Equal(new Shape(4, 8, 8), ok.OutputShape);
        Assert.Throws<GraphException>(() => new NetworkGraph("g", new Shape(1, 8, 8), [Conv("a", "input", 1, 4), Conv("b", "a", 4, 5), add]));
    }

    [Fact]
    public void JsonRoundTripIsExact()
    {
        foreach (var name in ModelZoo.Names)
        {
            var graph = ModelZoo.Create(name).Graph;
            var json = GraphJson.Serialize(graph);
            var back = GraphJson.Parse(json, "test.json");
            Assert.Equal(json, GraphJson.Serialize(back));
            Assert.Equal(graph.OutputShape, back.OutputShape);
        }
    }

    [Fact]
    public void JsonWithUnknownOpOrKeyIsRefusedWithItsPlace()
    {
        const string unknownOp = """
            {"format":"audioprune-graph/1","name":"g","input":[1,8,8],
             "nodes":[{"op":"conv3d","name":"a","inputs":["input"]}]}
            """;
        var e = Assert.Throws<GraphException>(() => GraphJson.Parse(unknownOp, "g.json"));
        Assert.StartsWith("g.json: not a valid graph at line", e.Message);

        const string unknownKey = """
            {"format":"audioprune-graph/1","name":"g","input":[1,8,8],
             "nodes":[{"op":"dropout","name":"a","inputs":["input"],"p":0.1,"rate":3}]}
            """;
        Assert.Contains("rate", Assert.Throws<GraphException>(() => GraphJson.Parse(unknownKey, "g.json")).Message);
    }

    [Fact]
    public void ShapeParsesCommonSpellings()
    {
        Assert.Equal(new Shape(1, 40, 500), Shape.Parse("1x40x500"));
        Assert.Equal(new Shape(1, 40, 500), Shape.Parse("1,40,500"));
        Assert.Throws<FormatException>(() => Shape.Parse("1x-4"));
        Assert.Throws<FormatException>(() => Shape.Parse("abc"));
    }
}
