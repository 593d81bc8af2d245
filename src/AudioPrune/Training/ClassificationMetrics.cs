namespace AudioPrune.Training;

/// <summary>
/// Scores of probability rows against single labels: accuracy (arg-max), balanced accuracy (mean recall over the
/// classes present), log-loss (cross-entropy for softmax heads, mean binary cross-entropy for sigmoid heads),
/// per-class accuracy (recall; null for a class with no examples), the confusion matrix [true][predicted],
/// and for sigmoid heads the mean average precision over classes with at least one positive.
/// </summary>
internal sealed record ClassificationMetrics(
    int Count,
    double Accuracy,
    double BalancedAccuracy,
    double LogLoss,
    IReadOnlyDictionary<string, double?> PerClassAccuracy,
    int[][] ConfusionMatrix,
    double? MeanAveragePrecision)
{
    /// <summary>Probabilities are clipped to [eps, 1 - eps] so that one confident mistake gives a large, finite loss.</summary>
    private const double Epsilon = 1e-7;

    public static ClassificationMetrics Compute(IReadOnlyList<float[]> probabilities, IReadOnlyList<int> labels,
        IReadOnlyList<string> classNames, HeadKind head)
    {
        var classes = classNames.Count;
        var confusion = Enumerable.Range(0, classes).Select(_ => new int[classes]).ToArray();
        var loss = 0.0;
        for (var i = 0; i < labels.Count; i++)
        {
            var row = probabilities[i];
            confusion[labels[i]][ArgMax(row)]++;
            loss += head == HeadKind.Sigmoid ? BinaryCrossEntropy(row, labels[i]) : -Math.Log(Clip(row[labels[i]]));
        }
        var count = labels.Count;
        var correct = Enumerable.Range(0, classes).Sum(c => confusion[c][c]);
        var recalls = new Dictionary<string, double?>(StringComparer.Ordinal);
        for (var c = 0; c < classes; c++)
        {
            var total = confusion[c].Sum();
            recalls[classNames[c]] = total == 0 ? null : confusion[c][c] / (double)total;
        }
        var present = recalls.Values.Where(r => r.HasValue).Select(r => r!.Value).ToArray();
        return new ClassificationMetrics(
            count,
            count == 0 ? 0 : correct / (double)count,
            present.Length == 0 ? 0 : present.Average(),
            count == 0 ? 0 : loss / count,
            recalls,
            confusion,
            head == HeadKind.Sigmoid ? AveragePrecision.Mean(probabilities, labels, classes) : null);
    }

    internal static int ArgMax(ReadOnlySpan<float> row)
    {
        var best = 0;
        for (var c = 1; c < row.Length; c++)
        {
            if (row[c] > row[best]) best = c;
        }
        return best;
    }

    private static double Clip(double p) => Math.Clamp(p, Epsilon, 1 - Epsilon);

    private static double BinaryCrossEntropy(float[] row, int label)
    {
        var sum = 0.0;
        for (var c = 0; c < row.Length; c++) sum -= c == label ? Math.Log(Clip(row[c])) : Math.Log(1 - Clip(row[c]));
        return sum / row.Length;
    }
}
