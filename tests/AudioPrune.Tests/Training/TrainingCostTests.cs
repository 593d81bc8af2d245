using AudioPrune.Training;

namespace AudioPrune.Tests.Training;

/// <summary>Every training run records its wall time, CPU time, energy and CO2, from RAPL counters or from CPU time.</summary>
[Collection(TorchSerialCollection.Name)]
public sealed class TrainingCostTests
{
    private static EpochRecord Epoch(int epoch, double seconds, double cpu, double? joules = null) =>
        new(epoch, 1, 0.5, 1, 0.5, 1e-3, seconds, 100, cpu, joules);

    [Fact]
    public void Without_counters_energy_is_cpu_time_times_watts_per_core()
    {
        var cost = TrainingCost.Of([Epoch(1, 10, 18), Epoch(2, 12, 20)], new CostSettings(WattsPerCore: 9, GramsPerKwh: 500));
        Assert.Equal(22, cost.WallSeconds, 12);
        Assert.Equal(38, cost.CpuSeconds, 12);
        Assert.Equal(38 * 9 / 3600.0, cost.EnergyWh, 12);           // 0.095 Wh
        Assert.Equal(38 * 9 / 3600.0 / 1000 * 500, cost.Co2G, 12);  // 0.0475 g
        Assert.Equal(TrainingCost.CpuTime, cost.EnergySource);
        Assert.Contains("estimated from CPU time at 9 W per core", cost.Describe());
        Assert.Contains("(an estimate)", cost.Describe());
    }

    [Fact]
    public void With_counters_in_every_epoch_the_measured_energy_is_used()
    {
        var cost = TrainingCost.Of([Epoch(1, 10, 18, joules: 720), Epoch(2, 10, 18, joules: 1080)], new CostSettings());
        Assert.Equal(0.5, cost.EnergyWh, 12);
        Assert.Equal(TrainingCost.Rapl, cost.EnergySource);
        Assert.Null(cost.WattsPerCore);
        // One epoch without a reading (a resumed run on another machine): the whole run falls back to CPU time.
        var mixed = TrainingCost.Of([Epoch(1, 10, 18, joules: 720), Epoch(2, 10, 18)], new CostSettings(WattsPerCore: 10));
        Assert.Equal(TrainingCost.CpuTime, mixed.EnergySource);
        Assert.Equal(36 * 10 / 3600.0, mixed.EnergyWh, 12);
    }

    [Fact]
    public void The_meter_reads_rapl_package_counters_and_their_wrap()
    {
        using var temp = new TempDirectory();
        var package = Directory.CreateDirectory(Path.Combine(temp.Path, "intel-rapl:0")).FullName;
        var core = Directory.CreateDirectory(Path.Combine(temp.Path, "intel-rapl:0:0")).FullName; // a sub-zone, inside the package's count
        File.WriteAllText(Path.Combine(package, "max_energy_range_uj"), "10000000\n");
        File.WriteAllText(Path.Combine(package, "energy_uj"), "9000000\n");
        File.WriteAllText(Path.Combine(core, "max_energy_range_uj"), "10000000\n");
        File.WriteAllText(Path.Combine(core, "energy_uj"), "5\n");

        var meter = new CostMeter(temp.Path);
        File.WriteAllText(Path.Combine(package, "energy_uj"), "1500000\n"); // wrapped past 10 J
        Assert.Equal(2.5, meter.EnergyJoules()!.Value, 9);

        Assert.Null(new CostMeter(Path.Combine(temp.Path, "absent")).EnergyJoules());
        File.WriteAllText(Path.Combine(package, "energy_uj"), "unreadable");
        Assert.Null(meter.EnergyJoules());
    }

    [Fact]
    public void A_training_run_records_its_cost_in_the_training_record()
    {
        var options = new TrainingOptions { Epochs = 2, BatchSize = 16, Seed = 3, Threads = 1, Cost = new CostSettings(WattsPerCore: 12, PowercapRoot: "/nonexistent") };
        var result = new Trainer().Fit(SyntheticData.Model(SyntheticData.Graph()), SyntheticData.Splits(), options);
        var cost = Assert.IsType<TrainingCost>(result.Record.Cost);
        Assert.True(cost.WallSeconds > 0 && cost.CpuSeconds > 0, $"wall {cost.WallSeconds}, cpu {cost.CpuSeconds}");
        Assert.Equal(result.History.Sum(e => e.Seconds), cost.WallSeconds, 12);
        Assert.Equal(cost.CpuSeconds * 12 / 3600, cost.EnergyWh, 12);
        Assert.True(cost.Co2G > 0);
        Assert.Contains("\"cost\":", result.Best.Metadata[AudioPrune.Graph.ModelArtifact.TrainingKey]);
    }

    [Fact]
    public void Settings_outside_their_range_are_refused_by_parameter()
    {
        var e = Assert.Throws<UserInputException>(() => new TrainingOptions { Cost = new CostSettings(WattsPerCore: 0) }.Validate());
        Assert.Equal("WattsPerCore", e.Parameter);
        Assert.Throws<UserInputException>(() => new TrainingOptions { Cost = new CostSettings(GramsPerKwh: double.NaN) }.Validate());
    }
}
