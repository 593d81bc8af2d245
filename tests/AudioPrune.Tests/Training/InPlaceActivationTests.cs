using AudioPrune.Graph;
using AudioPrune.Graph.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace AudioPrune.Tests.Training;

/// <summary>
/// The graph module overwrites a ReLU's input when nothing else reads it (conv, linear and batch-norm outputs).
/// Autograd must not notice: outputs and gradients equal the same network written with out-of-place operations.
/// </summary>
[Collection(TorchSerialCollection.Name)]
public sealed class InPlaceActivationTests
{
    [Fact]
    public void In_place_relus_leave_outputs_and_gradients_unchanged()
    {
        var graph = new SequentialBuilder("inplace", new Shape(2, 6, 8))
            .Conv("conv", 3, 3).BatchNorm("bn").Relu("relu1")
            .Flatten("flat").Linear("fc1", 5).Relu("relu2").Linear("fc2", 4).Build();
        torch.manual_seed(3);
        using var scope = torch.NewDisposeScope();
        using var module = TorchGraphModule.Create(graph, WeightInitializer.Initialize(graph, 1), padChannels: false);
        module.train();
        var state = module.state_dict();
        var x = torch.randn(5, 2, 6, 8);

        var output = module.call(x);
        output.square().sum().backward();

        var p = new Dictionary<string, Tensor>();
        foreach (var name in new[] { "conv.weight", "conv.bias", "bn.weight", "bn.bias", "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias" })
            p[name] = state[name].detach().clone().requires_grad_(true);
        var y = nn.functional.conv2d(x, p["conv.weight"], p["conv.bias"], padding: [1, 1]);
        y = nn.functional.batch_norm(y, torch.zeros(3), torch.ones(3), p["bn.weight"], p["bn.bias"], training: true);
        y = nn.functional.relu(y).flatten(1);
        y = nn.functional.relu(nn.functional.linear(y, p["fc1.weight"], p["fc1.bias"]));
        var reference = nn.functional.linear(y, p["fc2.weight"], p["fc2.bias"]);
        reference.square().sum().backward();

        Assert.True((output.detach() - reference.detach()).abs().max().item<float>() < 1e-5f, "outputs differ");
        var parameters = module.named_parameters().ToDictionary(e => e.name, e => e.parameter);
        foreach (var (name, tensor) in p)
        {
            var error = (parameters[name].grad! - tensor.grad!).abs().max().item<float>();
            Assert.True(error < 1e-4f, $"{name}: gradient off by {error}");
        }
    }
}
