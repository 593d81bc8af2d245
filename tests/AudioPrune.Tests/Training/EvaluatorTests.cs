using System.Text.Json;
using AudioPrune.Common;
using AudioPrune.Data;
using AudioPrune.Graph;
using AudioPrune.Graph.Nodes;
using AudioPrune.Reports;
using AudioPrune.Training;

namespace AudioPrune.Tests.Training;

public sealed class EvaluatorTests
{
    private static readonly string[] Names = ["a", "b", "c"];

    [Fact]
    public void Metrics_match_hand_computed_values()
    {
        float[][] p =
        [
            [0.7f, 0.2f, 0.1f], // a -> a
            [0.2f, 0.5f, 0.3f], // a -> b
            [0.1f, 0.8f, 0.1f], // b -> b
            [0.3f, 0.3f, 0.4f], // b -> c
            [0.1f, 0.1f, 0.8f], // b -> c
        ];
        int[] labels = [0, 0, 1, 1, 1];

        var m = ClassificationMetrics.Compute(p, labels, Names, HeadKind.Softmax);

        Assert.Equal(2 / 5.0, m.Accuracy, 12);
        Assert.Equal((1 / 2.0 + 1 / 3.0) / 2, m.BalancedAccuracy, 12); // class c has no examples
        var logLoss = -(Math.Log(0.7) + Math.Log(0.2) + Math.Log(0.8) + Math.Log(0.3) + Math.Log(0.1)) / 5;
        Assert.Equal(logLoss, m.LogLoss, 6);
        Assert.Equal(0.5, m.PerClassAccuracy["a"]);
        Assert.Null(m.PerClassAccuracy["c"]);
        Assert.Equal([[1, 1, 0], [0, 1, 2], [0, 0, 0]], m.ConfusionMatrix);
        Assert.Null(m.MeanAveragePrecision);
    }

    [Fact]
    public void Mean_average_precision_matches_a_hand_ranking()
    {
        // Class a scores rank: ex0 (pos), ex2 (neg), ex1 (pos) -> AP = 1/2*1 + 1/2*(2/3) = 5/6.
        // Class b: only ex2 is positive and it ranks first -> AP = 1. Class c has no positives and is skipped.
        float[][] p = [[0.9f, 0.1f, 0.2f], [0.4f, 0.3f, 0.1f], [0.6f, 0.8f, 0.3f]];
        var m = ClassificationMetrics.Compute(p, [0, 0, 1], Names, HeadKind.Sigmoid);
        Assert.Equal((5 / 6.0 + 1) / 2, m.MeanAveragePrecision!.Value, 9);
    }

    [Fact]
    public void Clip_level_scores_average_the_probabilities_of_a_clips_segments()
    {
        // A linear identity model over 3 features: softmax of the features themselves.
        var graph = new SequentialBuilder("identity", new Shape(3)).Linear("fc", 3).Activation("softmax", ActivationKind.Softmax).Build();
        var weights = new WeightMap
        {
            ["fc.weight"] = new TensorData([3, 3], [1, 0, 0, 0, 1, 0, 0, 0, 1]),
            ["fc.bias"] = TensorData.Zeros(3),
        };
        var model = ModelArtifact.Create(graph, weights, Names);
        // Clip x (label a): one segment clearly a, one mildly b: per example 1 of 2 right, the clip mean says a.
        float[][] features = [[4, 0, 0], [0, 1, 0], [0, 0, 3], [0, 0, 2]];
        var data = new InMemoryExampleSet(new Shape(3), Names, features, [0, 0, 2, 2], ["x", "x", "y", "y"]);

        var result = Evaluator.Evaluate(model, data);

        Assert.Equal(4, result.Examples);
        Assert.Equal(2, result.Clips);
        Assert.Equal(0.75, result.ExampleLevel.Accuracy, 12);
        Assert.Equal(1.0, result.ClipLevel.Accuracy, 12);
        var softmax = (float[] x) => x.Select(v => Math.Exp(v) / x.Sum(u => Math.Exp(u))).ToArray();
        var clipXa = (softmax(features[0])[0] + softmax(features[1])[0]) / 2;
        var clipYc = (softmax(features[2])[2] + softmax(features[3])[2]) / 2;
        Assert.Equal(-(Math.Log(clipXa) + Math.Log(clipYc)) / 2, result.ClipLevel.LogLoss, 5);

        var json = JsonSerializer.Serialize(result, ReportJson.Options);
        using var document = JsonDocument.Parse(json);
        Assert.Equal(2, document.RootElement.GetProperty("clips").GetInt32());
        Assert.Equal(1.0, document.RootElement.GetProperty("clip_level").GetProperty("accuracy").GetDouble());
        Assert.Equal("Softmax", document.RootElement.GetProperty("head").GetString());
    }

    [Fact]
    public void Evaluation_rejects_data_that_does_not_fit_the_model()
    {
        var graph = new SequentialBuilder("identity", new Shape(3)).Linear("fc", 3).Activation("softmax", ActivationKind.Softmax).Build();
        var model = ModelArtifact.Create(graph, WeightInitializer.Initialize(graph, 1), Names);
        var twoClasses = new InMemoryExampleSet(new Shape(3), ["a", "b"], [[1, 2, 3]], [0]);
        Assert.Contains("2 classes", Assert.Throws<UserInputException>(() => Evaluator.Evaluate(model, twoClasses)).Message);
        var renamed = new InMemoryExampleSet(new Shape(3), ["x", "y", "z"], [[1, 2, 3]], [0]);
        Assert.Contains("not the data's classes", Assert.Throws<UserInputException>(() => Evaluator.Evaluate(model, renamed)).Message);
        var mixedClip = new InMemoryExampleSet(new Shape(3), Names, [[1, 2, 3], [1, 2, 3]], [0, 1], ["same", "same"]);
        Assert.Contains("clip 'same'", Assert.Throws<UserInputException>(() => Evaluator.Evaluate(model, mixedClip)).Message);
    }
}
