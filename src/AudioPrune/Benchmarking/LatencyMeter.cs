using System.Diagnostics;

namespace AudioPrune.Benchmarking;

/// <summary>Times a piece of work: warm-up runs first (caches, lazy initialisation), then timed runs.</summary>
internal static class LatencyMeter
{
    /// <summary>Timed runs per block of <see cref="MeasureInterleaved"/>.</summary>
    public const int BlockRuns = 5;

    public static LatencyStats Measure(Action run, int warmup = 5, int runs = 30)
    {
        CheckCounts(warmup, runs);
        for (var i = 0; i < warmup; i++) run();
        var times = new List<double>(runs);
        TimeRuns(run, runs, times);
        return LatencyStats.From(times);
    }

    /// <summary>
    /// Times two pieces of work in alternating blocks of <see cref="BlockRuns"/> runs (the order swapped every round,
    /// each block after one untimed run that brings its model back into the caches), so that a change in the
    /// machine's load or clock during the measurement falls on both alike, while each is timed as it runs alone.
    /// </summary>
    public static (LatencyStats First, LatencyStats Second) MeasureInterleaved(Action first, Action second, int warmup = 5, int runs = 30)
    {
        CheckCounts(warmup, runs);
        for (var i = 0; i < warmup; i++)
        {
            first();
            second();
        }
        var (firstTimes, secondTimes) = (new List<double>(runs), new List<double>(runs));
        for (var round = 0; firstTimes.Count < runs; round++)
        {
            var count = Math.Min(BlockRuns, runs - firstTimes.Count);
            var blocks = round % 2 == 0 ? new[] { (first, firstTimes), (second, secondTimes) } : [(second, secondTimes), (first, firstTimes)];
            foreach (var (run, times) in blocks)
            {
                run();
                TimeRuns(run, count, times);
            }
        }
        return (LatencyStats.From(firstTimes), LatencyStats.From(secondTimes));
    }

    private static void TimeRuns(Action run, int count, List<double> times)
    {
        var clock = new Stopwatch();
        for (var i = 0; i < count; i++)
        {
            clock.Restart();
            run();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
    }

    private static void CheckCounts(int warmup, int runs)
    {
        if (warmup < 0 || runs < 1) throw new ArgumentOutOfRangeException(nameof(runs), "need at least one timed run and no negative warm-up");
    }
}
