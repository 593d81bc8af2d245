using AudioPrune.Study;

namespace AudioPrune.Tests.Study;

public sealed class PairedStatisticsTests
{
    [Theory]
    [InlineData(1, 12.7062)]
    [InlineData(2, 4.3027)]
    [InlineData(4, 2.7764)]
    [InlineData(9, 2.2622)]
    [InlineData(29, 2.0452)]
    [InlineData(120, 1.9799)]
    public void TQuantileMatchesTheTables(int degreesOfFreedom, double expected) =>
        Assert.Equal(expected, StudentT.Quantile(0.975, degreesOfFreedom), 4);

    [Fact]
    public void TQuantileMatchesTheClosedFormsAndTheNormalLimit()
    {
        // One degree of freedom is the Cauchy distribution: t = tan(pi (p - 1/2)).
        Assert.Equal(Math.Tan(Math.PI * 0.475), StudentT.Quantile(0.975, 1), 1e-9);
        Assert.Equal(Math.Tan(Math.PI * 0.40), StudentT.Quantile(0.90, 1), 1e-9);
        // Two: P(|T| <= t) = t / sqrt(2 + t^2), so t = c sqrt(2 / (1 - c^2)) for central probability c = 0.95.
        Assert.Equal(0.95 * Math.Sqrt(2 / (1 - 0.95 * 0.95)), StudentT.Quantile(0.975, 2), 1e-9);
        Assert.Equal(0.0, StudentT.Quantile(0.5, 7), 1e-12);
        // Many degrees of freedom: the normal quantile 1.959964.
        Assert.Equal(1.959964, StudentT.Quantile(0.975, 100_000), 4);
    }

    [Fact]
    public void SummaryOfOneValueHasNoSpreadOrInterval()
    {
        Assert.Equal(new MeanInterval(0.8, null, 1, null), PairedStatistics.Summarize([0.8]));
        Assert.Null(PairedStatistics.Summarize([]));
    }

    [Fact]
    public void PairedIntervalMatchesAHandComputation()
    {
        var a = Runs(0.80, 0.75, 0.90);
        var b = Runs(0.70, 0.72, 0.85);
        // Differences 0.10, 0.03, 0.05: mean 0.18 / 3 = 0.06; deviations 0.04, -0.03, -0.01, squares summing to
        // 0.0026, over n - 1 = 2: variance 0.0013, sd 0.036056; se = sd / sqrt(3) = 0.020817; t(0.975, 2) = 4.302653,
        // half-width 0.089567: [-0.029567, 0.149567], which holds zero.
        var difference = PairedStatistics.Difference(a, b)!;
        Assert.Equal(0.06, difference.Mean, 1e-12);
        Assert.Equal(0.036056, difference.Sd!.Value, 1e-6);
        Assert.Equal(3, difference.N);
        Assert.Equal(-0.029567, difference.Ci95!.Value.Low, 1e-6);
        Assert.Equal(0.149567, difference.Ci95!.Value.High, 1e-6);
        Assert.Equal("no detectable difference at n = 3", PairedStatistics.Verdict(difference));
    }

    [Fact]
    public void IntervalAboveZeroIsBetterAndBelowIsWorse()
    {
        // Differences 0.10, 0.11, 0.09: mean 0.10, sd 0.01, se 0.005774, half-width 4.302653 x 0.005774 = 0.024841.
        var a = Runs(0.80, 0.81, 0.79);
        var b = Runs(0.70, 0.70, 0.70);
        var better = PairedStatistics.Difference(a, b)!;
        Assert.Equal(0.075159, better.Ci95!.Value.Low, 1e-6);
        Assert.Equal("better", PairedStatistics.Verdict(better));
        Assert.Equal("worse", PairedStatistics.Verdict(PairedStatistics.Difference(b, a)!));
    }

    [Fact]
    public void OnlyRunsWithTheSameKeyArePaired()
    {
        var a = Runs(0.80, 0.75, 0.90);
        var b = new Dictionary<RunKey, double> { [new RunKey(null, 2)] = 0.85, [new RunKey(null, 7)] = 0.10, [new RunKey(0, 0)] = 0.10 };
        var difference = PairedStatistics.Difference(a, b)!;
        Assert.Equal(0.05, difference.Mean, 1e-12);
        Assert.Equal(1, difference.N);
        Assert.Null(difference.Ci95);
        Assert.Equal("no detectable difference at n = 1", PairedStatistics.Verdict(difference));
        Assert.Null(PairedStatistics.Difference(a, new Dictionary<RunKey, double> { [new RunKey(null, 5)] = 0.5 }));
    }

    /// <summary>Accuracies of seeds 0, 1, 2, ... without folds.</summary>
    private static Dictionary<RunKey, double> Runs(params double[] accuracies) =>
        accuracies.Select((value, seed) => (value, seed)).ToDictionary(r => new RunKey(null, r.seed), r => r.value);
}
