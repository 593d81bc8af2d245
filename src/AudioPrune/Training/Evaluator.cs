using AudioPrune.Inference;
using AudioPrune.Common;
using AudioPrune.Data;
using AudioPrune.Graph;
using AudioPrune.Graph.Torch;

namespace AudioPrune.Training;

/// <summary>Scores a model on an example set (example- and clip-level; see <see cref="EvaluationResult"/>).</summary>
internal static class Evaluator
{
    public static EvaluationResult Evaluate(ModelArtifact model, IExampleSet data, int batchSize = 64)
    {
        EnsureScorable(model, data, batchSize);
        using var module = TorchGraphModule.Create(model.Graph.WithoutProbabilityHead(), model.Weights);
        var head = ModelHead.Of(model.Graph);
        return Score(model.Graph.Name, head, data, Predictor.Probabilities(module, head, data, batchSize));
    }

    /// <summary>Scores the model as run by an inference engine (e.g. ONNX Runtime); same metrics as the TorchSharp path.</summary>
    public static EvaluationResult Evaluate(IInferenceEngine engine, ModelArtifact model, IExampleSet data, int batchSize = 64)
    {
        EnsureScorable(model, data, batchSize);
        return Score(model.Graph.Name, ModelHead.Of(model.Graph), data, EngineOutputs.Probabilities(engine, model.Graph, data, batchSize));
    }

    private static void EnsureScorable(ModelArtifact model, IExampleSet data, int batchSize)
    {
        if (batchSize < 1) throw new UserInputException($"evaluation batch size must be at least 1, got {batchSize}");
        DataChecks.EnsureFits(model.Graph, data, "evaluation data");
        DataChecks.EnsureLabelsAgree(model.Labels, data.ClassNames, requireSameNames: true);
        if (data.Count == 0) throw new UserInputException("the evaluation set has no examples");
    }

    internal static EvaluationResult Score(string modelName, HeadKind head, IExampleSet data, float[][] probabilities)
    {
        var labels = Enumerable.Range(0, data.Count).Select(data.Label).ToArray();
        var examples = ClassificationMetrics.Compute(probabilities, labels, data.ClassNames, head);
        var (clipProbabilities, clipLabels) = ClipAggregation.ByClip(data, probabilities);
        var clips = ClassificationMetrics.Compute(clipProbabilities, clipLabels, data.ClassNames, head);
        return new EvaluationResult(modelName, head, data.Count, clipLabels.Count, data.ClassNames, examples, clips);
    }
}
