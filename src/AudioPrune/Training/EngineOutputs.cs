using AudioPrune.Inference;
using AudioPrune.Data;
using AudioPrune.Graph;

namespace AudioPrune.Training;

/// <summary>
/// Class probabilities from any inference engine (TorchSharp or ONNX Runtime). Engines run the whole graph, so a
/// graph that ends in softmax/sigmoid already returns probabilities; a graph without a head returns logits, to
/// which the softmax (or sigmoid) the model trains with is applied here.
/// </summary>
internal static class EngineOutputs
{
    /// <summary>Probability rows (example x class) of <paramref name="count"/> examples laid out one after another.</summary>
    public static float[][] Probabilities(IInferenceEngine engine, NetworkGraph graph, float[] examples, int count)
    {
        var classes = (int)graph.OutputShape.Elements;
        var outputs = engine.Run(examples, count);
        var head = ModelHead.Of(graph);
        var rows = new float[count][];
        for (var i = 0; i < count; i++)
        {
            rows[i] = outputs.AsSpan(i * classes, classes).ToArray();
            if (graph.ProbabilityHead is null) ApplyHead(head, rows[i]);
        }
        return rows;
    }

    /// <summary>Probabilities for every example of a set, in batches.</summary>
    public static float[][] Probabilities(IInferenceEngine engine, NetworkGraph graph, IExampleSet set, int batchSize)
    {
        var size = (int)set.ExampleShape.Elements;
        var result = new float[set.Count][];
        for (var start = 0; start < set.Count; start += batchSize)
        {
            var count = Math.Min(batchSize, set.Count - start);
            var batch = new float[count * size];
            for (var i = 0; i < count; i++) set.CopyFeatures(start + i, batch.AsSpan(i * size, size));
            Probabilities(engine, graph, batch, count).CopyTo(result, start);
        }
        return result;
    }

    private static void ApplyHead(HeadKind head, float[] row)
    {
        if (head == HeadKind.Sigmoid)
        {
            for (var c = 0; c < row.Length; c++) row[c] = 1f / (1f + MathF.Exp(-row[c]));
            return;
        }
        var max = row.Max();
        var sum = 0f;
        for (var c = 0; c < row.Length; c++) sum += row[c] = MathF.Exp(row[c] - max);
        for (var c = 0; c < row.Length; c++) row[c] /= sum;
    }
}
