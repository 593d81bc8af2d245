using System.Diagnostics;

namespace AudioPrune.Benchmarking;

/// <summary>Times a piece of work: warm-up runs first (caches, lazy initialisation), then timed runs.</summary>
public static class LatencyMeter
{
    public static LatencyStats Measure(Action run, int warmup = 5, int runs = 30)
    {
        if (warmup < 0 || runs < 1) throw new ArgumentOutOfRangeException(nameof(runs), "need at least one timed run and no negative warm-up");
        for (var i = 0; i < warmup; i++) run();
        var times = new double[runs];
        var clock = new Stopwatch();
        for (var i = 0; i < runs; i++)
        {
            clock.Restart();
            run();
            times[i] = clock.Elapsed.TotalMilliseconds;
        }
        return LatencyStats.From(times);
    }

    /// <summary>
    /// Times two pieces of work in alternating blocks of <see cref="BlockRuns"/> runs (the order swapped every round,
    /// each block after one untimed run that brings its model back into the caches), so that a change in the
    /// machine's load or clock during the measurement falls on both alike, while each is timed as it runs alone.
    /// </summary>
    public static (LatencyStats First, LatencyStats Second) MeasureInterleaved(Action first, Action second, int warmup = 5, int runs = 30)
    {
        if (warmup < 0 || runs < 1) throw new ArgumentOutOfRangeException(nameof(runs), "need at least one timed run and no negative warm-up");
        for (var i = 0; i < warmup; i++)
        {
            first();
            second();
        }
        var (firstTimes, secondTimes) = (new List<double>(runs), new List<double>(runs));
        var clock = new Stopwatch();
        void Block(Action run, List<double> times, int count)
        {
            run();
            for (var i = 0; i < count; i++)
            {
                clock.Restart();
                run();
                times.Add(clock.Elapsed.TotalMilliseconds);
            }
        }
        for (var round = 0; firstTimes.Count < runs; round++)
        {
            var count = Math.Min(BlockRuns, runs - firstTimes.Count);
            if (round % 2 == 0)
            {
                Block(first, firstTimes, count);
                Block(second, secondTimes, count);
            }
            else
            {
                Block(second, secondTimes, count);
                Block(first, firstTimes, count);
            }
        }
        return (LatencyStats.From(firstTimes), LatencyStats.From(secondTimes));
    }

    /// <summary>Timed runs per block of <see cref="MeasureInterleaved"/>.</summary>
    public const int BlockRuns = 5;
}
