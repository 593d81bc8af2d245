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
}
