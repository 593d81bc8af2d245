namespace AudioPrune.Pruning.Numerics;

/// <summary>
/// The similarity method's selection (docs/method.md, `similarity`; Interspeech 2022) on a cosine-distance matrix:
/// nearest neighbours, the greedy keep-and-mark pass, and the repeated pass that reaches a target count.
/// </summary>
internal static class GreedySimilarity
{
    /// <summary>Nearest neighbour of each filter among <paramref name="active"/> (ties: lowest index) and its distance.</summary>
    public static (int[] Neighbour, double[] Distance) NearestNeighbours(double[] distances, int n, IReadOnlyList<int> active)
    {
        var members = active as int[] ?? active.ToArray();
        var neighbour = new int[members.Length];
        var distance = new double[members.Length];
        // The paper's single pass runs on every filter: then a row needs no index lookups and is scanned with SIMD.
        var everyFilter = members.Length == n && members.Select((j, a) => j == a).All(same => same);
        Parallel.For(0, members.Length, new ParallelOptions { MaxDegreeOfParallelism = members.Length > 256 ? -1 : 1 }, a =>
        {
            var i = members[a];
            var row = distances.AsSpan(i * n, n);
            if (!everyFilter || !RowMinimum.TryNearest(row, i, out neighbour[a], out distance[a]))
                (neighbour[a], distance[a]) = Nearest(row, i, members);
        });
        return (neighbour, distance);
    }

    /// <summary>The reference rule: the first member j != i with the smallest distance.</summary>
    private static (int, double) Nearest(ReadOnlySpan<double> row, int i, int[] members)
    {
        var best = -1;
        var bestDistance = double.PositiveInfinity;
        foreach (var j in members)
        {
            if (j == i) continue;
            var dij = row[j];
            if (dij < bestDistance || best < 0)
            {
                best = j;
                bestDistance = dij;
            }
        }
        return (best, bestDistance);
    }

    /// <summary>
    /// One greedy pass over the active filters: visit them by ascending nearest-neighbour distance (ties: lower
    /// index first); an unmarked visited filter is kept and its neighbour marked redundant, unless already kept.
    /// Returns the pruned filters in the order they were marked. <paramref name="nearest"/>, when given, is what
    /// <see cref="NearestNeighbours"/> returns for these active filters (a layer's analysis holds it for all of them).
    /// </summary>
    public static List<int> Pass(double[] distances, int n, IReadOnlyList<int> active, (int[] Neighbour, double[] Distance)? nearest = null)
    {
        var pruned = new List<int>();
        if (active.Count < 2) return pruned;
        var (neighbour, distance) = nearest ?? NearestNeighbours(distances, n, active);
        var order = Enumerable.Range(0, active.Count).OrderBy(a => distance[a]).ThenBy(a => active[a]);
        var kept = new HashSet<int>();
        var redundant = new HashSet<int>();
        foreach (var a in order)
        {
            var i = active[a];
            if (redundant.Contains(i)) continue;
            kept.Add(i);
            var j = neighbour[a];
            if (!kept.Contains(j) && redundant.Add(j)) pruned.Add(j);
        }
        return pruned;
    }

    /// <summary>
    /// The kept filters, ascending. Without a count: one pass (the paper). With a count: passes on the remaining
    /// filters until only <paramref name="keep"/> are left; the last pass prunes in marking order.
    /// <paramref name="nearest"/>, when given, is every filter's nearest neighbour and distance (the first pass's).
    /// </summary>
    public static int[] Kept(double[] distances, int n, int? keep, (int[] Neighbour, double[] Distance)? nearest = null)
    {
        var active = Enumerable.Range(0, n).ToList();
        if (keep is null)
        {
            var pruned = Pass(distances, n, active, nearest).ToHashSet();
            return active.Where(i => !pruned.Contains(i)).ToArray();
        }
        var target = Math.Clamp(keep.Value, 1, n);
        while (active.Count > target)
        {
            var pruned = Pass(distances, n, active, active.Count == n ? nearest : null);
            if (pruned.Count == 0) break;
            var remove = pruned.Take(active.Count - target).ToHashSet();
            active = active.Where(i => !remove.Contains(i)).ToList();
        }
        return active.ToArray();
    }
}
