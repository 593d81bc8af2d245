using AudioPrune.Graph;
using AudioPrune.Graph.Nodes;
using AudioPrune.Graph.Torch;
using AudioPrune.Interop;
using static TorchSharp.torch;

namespace AudioPrune.Tests.Interop;

/// <summary>Models and inputs the interop tests share: a pruned-width DCASE21_Net, non-trivial batch-norm statistics.</summary>
internal static class InteropFixtures
{
    /// <summary>DCASE21_Net with the C1+C2+C3-pruned widths 11/11/22, as the pruning step leaves it.</summary>
    public static NetworkGraph PrunedDcase21(int c1 = 11, int c2 = 11, int c3 = 22) =>
        new SequentialBuilder("dcase21_pruned", new Shape(1, 40, 500))
            .Conv("conv1", c1, 7).BatchNorm("bn1").Relu("relu1")
            .Conv("conv2", c2, 7).BatchNorm("bn2").Relu("relu2")
            .Pool("pool1", PoolKind.Max, Size2.Square(5)).Dropout("dropout1", 0.3)
            .Conv("conv3", c3, 7).BatchNorm("bn3").Relu("relu3")
            .Pool("pool2", PoolKind.Max, new Size2(4, 100)).Dropout("dropout2", 0.3)
            .Flatten("flatten").Linear("fc1", 100).Relu("relu4").Dropout("dropout3", 0.3)
            .Linear("fc2", 10).Activation("softmax", ActivationKind.Softmax)
            .Build();

    /// <summary>Seeded weights with batch-norm statistics away from (0, 1), so that normalisation and folding matter.</summary>
    public static ModelArtifact WithWeights(NetworkGraph graph, int seed = 3)
    {
        var weights = WeightInitializer.Initialize(graph, seed);
        var random = new Random(seed);
        foreach (var bn in graph.NodesOf<BatchNormNode>())
        {
            Fill(weights[$"{bn.Name}.weight"], () => 0.5 + random.NextDouble());
            Fill(weights[$"{bn.Name}.bias"], () => random.NextDouble() - 0.5);
            Fill(weights[$"{bn.Name}.running_mean"], () => random.NextDouble() - 0.5);
            Fill(weights[$"{bn.Name}.running_var"], () => 0.5 + random.NextDouble());
        }
        return ModelArtifact.Create(graph, weights);
    }

    public static float[] RandomInput(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    }

    /// <summary>TorchSharp evaluation-mode output of a batch, flattened.</summary>
    public static float[] TorchOutput(ModelArtifact model, float[] batch, int batchSize) => TorchOutputs(model, [(batch, batchSize)])[0];

    /// <summary>TorchSharp evaluation-mode outputs of several batches with one module.</summary>
    public static float[][] TorchOutputs(ModelArtifact model, IReadOnlyList<(float[] Batch, int Size)> batches)
    {
        using var module = TorchGraphModule.Create(model.Graph, model.Weights);
        using var _ = no_grad();
        return batches.Select(b =>
        {
            long[] shape = [b.Size, .. model.Graph.Input.Dims.Select(d => (long)d)];
            using var x = tensor(b.Batch, shape);
            using var y = module.call(x);
            return y.data<float>().ToArray();
        }).ToArray();
    }

    /// <summary>
    /// Trains a network for <paramref name="steps"/> Adam steps (lr 0.01) on one seeded batch of 8 random 1x64x100
    /// examples of 10 classes and returns the loss of each step, with every parameter's gradient checked present.
    /// </summary>
    public static List<float> AdamLosses(NetworkGraph graph, WeightMap weights, int steps = 8)
    {
        using var module = TorchGraphModule.Create(graph, weights);
        module.train();
        TorchSharp.torch.manual_seed(7);
        using var x = randn([8, 1, 64, 100]);
        using var y = randint(0, 10, [8], dtype: ScalarType.Int64);
        using var optimizer = TorchSharp.torch.optim.Adam(module.parameters(), 0.01);
        var losses = new List<float>();
        for (var step = 0; step < steps; step++)
        {
            optimizer.zero_grad();
            using var loss = TorchSharp.torch.nn.functional.cross_entropy(module.call(x), y);
            loss.backward();
            optimizer.step();
            losses.Add(loss.item<float>());
        }
        Assert.All(module.parameters(), p => Assert.NotNull(p.grad));
        return losses;
    }

    /// <summary>Asserts |a - b| &lt;= tolerance * max|expected| element-wise.</summary>
    public static void AssertClose(float[] expected, float[] actual, double relative)
    {
        Assert.Equal(expected.Length, actual.Length);
        var scale = Math.Max(expected.Max(v => Math.Abs(v)), 1e-6f);
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= relative * scale, $"element {i}: expected {expected[i]}, got {actual[i]} (scale {scale})");
    }

    /// <summary>max |a - b| / max |expected|.</summary>
    public static double RelativeError(float[] expected, float[] actual) =>
        expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max() / Math.Max(expected.Max(v => Math.Abs(v)), 1e-6f);

    private static void Fill(TensorData tensor, Func<double> next)
    {
        for (var i = 0; i < tensor.Data.Length; i++) tensor.Data[i] = (float)next();
    }
}
