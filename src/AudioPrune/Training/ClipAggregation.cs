using AudioPrune.Common;
using AudioPrune.Data;

namespace AudioPrune.Training;

/// <summary>Clip-level predictions: the mean probabilities of the examples sharing a clip id, in first-seen order.</summary>
internal static class ClipAggregation
{
    public static (List<float[]> Probabilities, List<int> Labels) ByClip(IExampleSet set, IReadOnlyList<float[]> probabilities)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var sums = new List<double[]>();
        var counts = new List<int>();
        var labels = new List<int>();
        for (var i = 0; i < set.Count; i++)
        {
            var clip = set.ClipId(i);
            if (!index.TryGetValue(clip, out var k))
            {
                k = index[clip] = sums.Count;
                sums.Add(new double[probabilities[i].Length]);
                counts.Add(0);
                labels.Add(set.Label(i));
            }
            else if (labels[k] != set.Label(i))
            {
                throw new UserInputException($"clip '{clip}' has segments labelled '{set.ClassNames[labels[k]]}' and '{set.ClassNames[set.Label(i)]}': every segment of a clip needs the clip's label");
            }
            for (var c = 0; c < probabilities[i].Length; c++) sums[k][c] += probabilities[i][c];
            counts[k]++;
        }
        var means = sums.Select((s, k) => s.Select(v => (float)(v / counts[k])).ToArray()).ToList();
        return (means, labels);
    }
}
