using AudioPrune.Benchmarking;

namespace AudioPrune.Tests.Benchmarking;

/// <summary>
/// The interleaved measurement behind a model's speed-up against its parent: both are timed the same number of
/// times, in alternating blocks, each block after one untimed run. These tests check the schedule, not the clock.
/// </summary>
public sealed class LatencyMeterTests
{
    [Fact]
    public void Two_models_are_timed_in_alternating_blocks_with_the_order_swapped_every_round()
    {
        var calls = new List<char>();
        var (first, second) = LatencyMeter.MeasureInterleaved(() => calls.Add('a'), () => calls.Add('b'), warmup: 1, runs: 12);

        Assert.Equal(12, first.Runs);
        Assert.Equal(12, second.Runs);
        // warm-up "ab"; then blocks of one untimed and five timed runs: a b | b a | a b (the last blocks hold 2).
        Assert.Equal("ab" + "aaaaaa" + "bbbbbb" + "bbbbbb" + "aaaaaa" + "aaa" + "bbb", new string(calls.ToArray()));
    }

    [Fact]
    public void A_single_model_is_timed_as_many_times_as_asked_after_its_warm_up()
    {
        var count = 0;
        var stats = LatencyMeter.Measure(() => count++, warmup: 3, runs: 7);
        Assert.Equal(7, stats.Runs);
        Assert.Equal(10, count);
        Assert.Throws<ArgumentOutOfRangeException>(() => LatencyMeter.MeasureInterleaved(() => { }, () => { }, warmup: 0, runs: 0));
    }
}
