using AudioPrune.Graph;
using AudioPrune.Graph.Nodes;

namespace AudioPrune.Interop.Onnx;

/// <summary>
/// Folds inference batch norm into the convolution that feeds it: with s = gamma / sqrt(var + eps),
/// W'[f] = W[f] * s[f] and b'[f] = (b[f] - mean[f]) * s[f] + beta[f]. Only a channel batch norm whose input
/// is a convolution read by nothing else can be folded; the others stay.
/// </summary>
internal static class BatchNormFolding
{
    /// <summary>The batch norms that can be folded, mapped to their convolution.</summary>
    public static IReadOnlyDictionary<string, Conv2dNode> Foldable(NetworkGraph graph)
    {
        var result = new Dictionary<string, Conv2dNode>(StringComparer.Ordinal);
        foreach (var bn in graph.NodesOf<BatchNormNode>())
        {
            if (bn.Axis != 0 || bn.Inputs.Length != 1 || !graph.Contains(bn.Inputs[0])) continue;
            if (graph[bn.Inputs[0]] is Conv2dNode conv && graph.ConsumersOf(conv.Name).Count == 1) result[bn.Name] = conv;
        }
        return result;
    }

    /// <summary>The folded (weight, bias) of <paramref name="conv"/> followed by <paramref name="bn"/>.</summary>
    public static (TensorData Weight, TensorData Bias) Fold(Conv2dNode conv, BatchNormNode bn, WeightMap weights)
    {
        var w = weights[$"{conv.Name}.weight"];
        var gamma = weights[$"{bn.Name}.weight"].Data;
        var beta = weights[$"{bn.Name}.bias"].Data;
        var mean = weights[$"{bn.Name}.running_mean"].Data;
        var variance = weights[$"{bn.Name}.running_var"].Data;
        var bias = conv.Bias ? weights[$"{conv.Name}.bias"].Data : new float[conv.OutChannels];
        var perFilter = w.Data.Length / conv.OutChannels;
        var folded = new float[w.Data.Length];
        var foldedBias = new float[conv.OutChannels];
        for (var f = 0; f < conv.OutChannels; f++)
        {
            var scale = gamma[f] / Math.Sqrt(variance[f] + bn.Epsilon);
            for (var i = 0; i < perFilter; i++) folded[f * perFilter + i] = (float)(w.Data[f * perFilter + i] * scale);
            foldedBias[f] = (float)((bias[f] - mean[f]) * scale + beta[f]);
        }
        return (new TensorData(w.Shape, folded), new TensorData([conv.OutChannels], foldedBias));
    }
}
