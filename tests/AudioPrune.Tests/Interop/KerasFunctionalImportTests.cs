using System.Text.Json;
using AudioPrune.Graph;
using AudioPrune.Graph.Nodes;
using AudioPrune.Interop;

namespace AudioPrune.Tests.Interop;

/// <summary>Functional (Model) configs: inbound layers become node inputs; options such as scale=false are honoured.</summary>
[Collection(TorchSerialCollection.Name)]
public sealed class KerasFunctionalImportTests
{
    private static object Layer(string className, object config, params string[] inbound) => new
    {
        class_name = className,
        name = JsonSerializer.SerializeToElement(config).GetProperty("name").GetString(),
        config,
        inbound_nodes = inbound.Length == 0 ? [] : new[] { inbound.Select(i => new object[] { i, 0, 0, new { } }).ToArray() },
    };

    private static string Config(string convPadding, int[] convStrides) => JsonSerializer.Serialize(new
    {
        class_name = "Model",
        config = new
        {
            name = "residual",
            layers = new[]
            {
                Layer("InputLayer", new { name = "input_1", batch_input_shape = new int?[] { null, 6, 8, 2 } }),
                Layer("Conv2D", new { name = "conv", filters = 2, kernel_size = new[] { 3, 3 }, strides = convStrides, padding = convPadding, activation = "linear", use_bias = false }, "input_1"),
                Layer("BatchNormalization", new { name = "bn", axis = 3, epsilon = 0.01, scale = false, center = true }, "conv"),
                Layer("Add", new { name = "add" }, "bn", "input_1"),
                Layer("ReLU", new { name = "relu" }, "add"),
                Layer("AveragePooling2D", new { name = "avg", pool_size = new[] { 2, 2 }, padding = "valid" }, "relu"),
                Layer("GlobalAveragePooling2D", new { name = "gap" }, "avg"),
                Layer("Dense", new { name = "out", units = 3, activation = "softmax", use_bias = true }, "gap"),
            },
            input_layers = new[] { new object[] { "input_1", 0, 0 } },
            output_layers = new[] { new object[] { "out", 0, 0 } },
        },
    });

    private static void Write(string path, string config)
    {
        var random = new Random(5);
        KerasFixtureFile.Write(path, config,
        [
            ("input_1", []),
            ("conv", [KerasFixtureFile.Tensor.Random("kernel", [3, 3, 2, 2], random)]),
            ("bn", [KerasFixtureFile.Tensor.Random("beta", [2], random), new("moving_mean", [2], [0.1f, -0.2f]), new("moving_variance", [2], [0.5f, 2f])]),
            ("add", []), ("relu", []), ("avg", []), ("gap", []),
            ("out", [KerasFixtureFile.Tensor.Random("kernel", [2, 3], random), KerasFixtureFile.Tensor.Random("bias", [3], random)]),
        ]);
    }

    [Fact]
    public void ResidualModelImportsWithItsConnectionsAndBatchNormOptions()
    {
        using var temp = new TempDirectory();
        var path = temp.File("residual.h5");
        Write(path, Config("same", [1, 1]));

        var model = ModelLoader.Load(path);

        var graph = model.Graph;
        Assert.Equal(new Shape(2, 6, 8), graph.Input);
        Assert.Equal(["bn", NetworkGraph.InputName], graph["add"].Inputs);
        var bn = Assert.IsType<BatchNormNode>(graph["bn"]);
        Assert.Equal((0, 0.01), (bn.Axis, bn.Epsilon));
        Assert.Equal([1f, 1f], model.Weights["bn.weight"].Data);
        Assert.False(Assert.IsType<Conv2dNode>(graph["conv"]).Bias);
        Assert.Equal(GlobalPoolKind.Avg, Assert.IsType<GlobalPoolNode>(graph["gap"]).Kind);
        // A Dense after global pooling reads channels directly: only the (in, out) -> (out, in) transpose.
        Assert.Equal([3, 2], model.Weights["out.weight"].Shape);
        var output = InteropFixtures.TorchOutput(model, InteropFixtures.RandomInput(2 * 6 * 8, 1), 1);
        Assert.Equal(1.0, output.Sum(), 5);
    }

    [Fact]
    public void SamePaddingWithStrideTwoIsRefused()
    {
        using var temp = new TempDirectory();
        var path = temp.File("strided.h5");
        Write(path, Config("same", [2, 2]));

        var error = Assert.Throws<global::AudioPrune.Common.UserInputException>(() => ModelLoader.Load(path)).Message;

        Assert.Contains("layer 2 (Conv2D 'conv')", error);
        Assert.Contains("pads unevenly", error);
    }
}
