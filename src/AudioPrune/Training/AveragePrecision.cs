namespace AudioPrune.Training;

/// <summary>
/// Average precision per class as scikit-learn computes it (sum over ranked positives of precision x recall step),
/// averaged over the classes that have at least one positive: the PANNs papers' mAP.
/// </summary>
internal static class AveragePrecision
{
    public static double Mean(IReadOnlyList<float[]> scores, IReadOnlyList<int> labels, int classes)
    {
        var values = new List<double>();
        for (var c = 0; c < classes; c++)
        {
            var positives = labels.Count(l => l == c);
            if (positives == 0) continue;
            values.Add(OfClass(scores, labels, c, positives));
        }
        return values.Count == 0 ? 0 : values.Average();
    }

    /// <summary>Ties in score are taken together, as thresholds: the precision at a threshold counts all tied examples.</summary>
    private static double OfClass(IReadOnlyList<float[]> scores, IReadOnlyList<int> labels, int c, int positives)
    {
        var order = Enumerable.Range(0, labels.Count).OrderByDescending(i => scores[i][c]).ToArray();
        double ap = 0, truePositives = 0, previousRecall = 0;
        var i = 0;
        while (i < order.Length)
        {
            var threshold = scores[order[i]][c];
            while (i < order.Length && scores[order[i]][c] == threshold)
            {
                if (labels[order[i]] == c) truePositives++;
                i++;
            }
            var recall = truePositives / positives;
            ap += (recall - previousRecall) * (truePositives / i);
            previousRecall = recall;
        }
        return ap;
    }
}
