using AudioPrune.Data;
using AudioPrune.Graph.Torch;
using TorchSharp;

namespace AudioPrune.Training;

/// <summary>Class probabilities for every example of a set, computed in evaluation mode without gradients.</summary>
internal static class Predictor
{
    /// <summary>Rows of probabilities (example x class) at <paramref name="temperature"/>; the module is left in evaluation mode.</summary>
    public static float[][] Probabilities(TorchGraphModule logitsModule, HeadKind head, IExampleSet set, int batchSize, double temperature = 1)
    {
        logitsModule.eval();
        var classes = set.ClassNames.Count;
        var result = new float[set.Count][];
        var batch = new BatchAssembler(set, Math.Min(batchSize, Math.Max(1, set.Count)));
        var indices = Enumerable.Range(0, set.Count).ToArray();
        using var _ = torch.no_grad();
        for (var start = 0; start < set.Count; start += batchSize)
        {
            using var scope = torch.NewDisposeScope();
            var count = Math.Min(batchSize, set.Count - start);
            batch.Load(indices.AsSpan(start, count));
            var logits = logitsModule.call(batch.FeatureTensor());
            var probabilities = ModelHead.Probabilities(head, temperature == 1 ? logits : logits / temperature).contiguous();
            var values = probabilities.data<float>().ToArray();
            for (var i = 0; i < count; i++) result[start + i] = values.AsSpan(i * classes, classes).ToArray();
        }
        return result;
    }
}
