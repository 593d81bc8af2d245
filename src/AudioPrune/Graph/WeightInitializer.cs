using AudioPrune.Graph.Nodes;

namespace AudioPrune.Graph;

/// <summary>
/// Seeded initial weights with PyTorch's defaults: conv and linear weights and biases uniform in
/// +-1/sqrt(fan_in) (kaiming_uniform with a = sqrt(5)), batch norm gamma 1, beta 0, mean 0, variance 1.
/// Pure managed code, so the same seed gives the same weights whatever the thread count.
/// </summary>
internal static class WeightInitializer
{
    public static WeightMap Initialize(NetworkGraph graph, int seed)
    {
        var random = new Random(seed);
        var weights = new WeightMap();
        foreach (var node in graph.Nodes)
        {
            foreach (var spec in node.Parameters)
            {
                weights[spec.FullName(node.Name)] = Initial(node, spec, random);
            }
        }
        return weights;
    }

    private static TensorData Initial(Node node, ParameterSpec spec, Random random) => (node, spec.Suffix) switch
    {
        (BatchNormNode, "weight" or "running_var") => TensorData.Filled(1f, spec.Shape),
        (BatchNormNode, _) => TensorData.Zeros(spec.Shape),
        (Conv2dNode conv, _) => Uniform(spec.Shape, 1.0 / Math.Sqrt(conv.InChannels / conv.Groups * conv.Kernel.H * conv.Kernel.W), random),
        (LinearNode linear, _) => Uniform(spec.Shape, 1.0 / Math.Sqrt(linear.InFeatures), random),
        _ => throw new GraphException($"no initialiser for {node.Op} parameter '{spec.Suffix}'"),
    };

    private static TensorData Uniform(int[] shape, double bound, Random random)
    {
        var tensor = TensorData.Zeros(shape);
        var data = tensor.Data;
        for (var i = 0; i < data.Length; i++) data[i] = (float)((random.NextDouble() * 2 - 1) * bound);
        return tensor;
    }
}
