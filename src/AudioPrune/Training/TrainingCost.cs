using System.Diagnostics;
using System.Globalization;

namespace AudioPrune.Training;

/// <summary>
/// How a run's energy is estimated when the machine has no energy counters, and how energy becomes CO2
/// (docs/studies.md, "Training cost", gives the defaults' sources).
/// </summary>
/// <param name="WattsPerCore">Power of one busy core; CPU seconds times this is the energy without counters.</param>
/// <param name="GramsPerKwh">Carbon intensity of the electricity.</param>
/// <param name="PowercapRoot">Where the kernel exposes RAPL energy counters.</param>
internal sealed record CostSettings(double WattsPerCore = CostSettings.DefaultWattsPerCore, double GramsPerKwh = CostSettings.DefaultGramsPerKwh,
    string PowercapRoot = CostSettings.DefaultPowercapRoot)
{
    /// <summary>An assumption, not a measurement: a server CPU's rated power divided by its cores is of this order.</summary>
    public const double DefaultWattsPerCore = 10;

    /// <summary>The world's average carbon intensity of electricity (docs/studies.md, "Training cost", names the source).</summary>
    public const double DefaultGramsPerKwh = 436;

    public const string DefaultPowercapRoot = "/sys/class/powercap";

    public void Validate()
    {
        if (!(WattsPerCore > 0 && double.IsFinite(WattsPerCore))) throw new UserInputException($"{{@WattsPerCore}} must be a finite number above 0, got {WattsPerCore}");
        if (!(GramsPerKwh >= 0 && double.IsFinite(GramsPerKwh))) throw new UserInputException($"{{@GramsPerKwh}} must be a finite number of at least 0, got {GramsPerKwh}");
    }
}

/// <summary>What a training run cost: time, CPU time, energy (measured by RAPL or estimated) and the CO2 of that energy.</summary>
/// <param name="EnergySource">"rapl" (package energy counters, all the machine's work in that time) or "cpu-time" (CPU seconds x watts per core).</param>
internal sealed record TrainingCost(double WallSeconds, double CpuSeconds, double EnergyWh, string EnergySource, double Co2G,
    double GramsPerKwh, double? WattsPerCore)
{
    public const string Rapl = "rapl";
    public const string CpuTime = "cpu-time";

    /// <summary>The cost of the epochs in <paramref name="history"/> (a resumed run counts the epochs before the interruption too).</summary>
    public static TrainingCost Of(IReadOnlyList<EpochRecord> history, CostSettings settings)
    {
        var wall = history.Sum(e => e.Seconds);
        var cpu = history.Sum(e => e.CpuSeconds);
        var measured = history.Count > 0 && history.All(e => e.EnergyJoules is not null);
        var joules = measured ? history.Sum(e => e.EnergyJoules!.Value) : cpu * settings.WattsPerCore;
        var wh = joules / 3600;
        return new TrainingCost(wall, cpu, wh, measured ? Rapl : CpuTime, wh / 1000 * settings.GramsPerKwh, settings.GramsPerKwh,
            measured ? null : settings.WattsPerCore);
    }

    /// <summary>One line for people: wall and CPU time, the energy and how it was found, the CO2 and the intensity used.</summary>
    public string Describe()
    {
        var source = EnergySource == Rapl ? "measured by RAPL" : FormattableString.Invariant($"estimated from CPU time at {WattsPerCore:0.##} W per core");
        return FormattableString.Invariant(
            $"{WallSeconds:0.0} s, {CpuSeconds:0.0} s CPU, {EnergyWh:0.####} Wh {source}, {Co2G:0.####} g CO2 at {GramsPerKwh:0.#} g/kWh (an estimate)");
    }
}

/// <summary>Measures one stretch of work: wall time, this process's CPU time and, where readable, RAPL package energy.</summary>
internal sealed class CostMeter
{
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly TimeSpan cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
    private readonly IReadOnlyList<RaplCounter> counters;
    private readonly long[]? energyAtStart;

    public CostMeter(string powercapRoot)
    {
        counters = RaplCounter.Packages(powercapRoot);
        energyAtStart = Read(counters);
    }

    public double WallSeconds => clock.Elapsed.TotalSeconds;

    public double CpuSeconds => (Process.GetCurrentProcess().TotalProcessorTime - cpuAtStart).TotalSeconds;

    /// <summary>Joules since the start over all packages, or null where there are no readable counters.</summary>
    public double? EnergyJoules()
    {
        if (energyAtStart is null || Read(counters) is not { } now) return null;
        double microjoules = 0;
        for (var i = 0; i < counters.Count; i++)
        {
            var delta = now[i] - energyAtStart[i];
            microjoules += delta >= 0 ? delta : delta + counters[i].Range; // the counter wrapped once
        }
        return microjoules / 1e6;
    }

    private static long[]? Read(IReadOnlyList<RaplCounter> counters)
    {
        if (counters.Count == 0) return null;
        var values = new long[counters.Count];
        for (var i = 0; i < counters.Count; i++)
        {
            if (counters[i].Read() is not { } value) return null;
            values[i] = value;
        }
        return values;
    }
}

/// <summary>One RAPL package counter (powercap zone "intel-rapl:N", also AMD's): energy_uj and its wrap range.</summary>
internal sealed record RaplCounter(string EnergyFile, long Range)
{
    /// <summary>The top-level package zones under <paramref name="root"/> whose counters this process can read.</summary>
    public static IReadOnlyList<RaplCounter> Packages(string root)
    {
        if (!Directory.Exists(root)) return [];
        var zones = Directory.EnumerateDirectories(root, "intel-rapl:*").Where(d => Path.GetFileName(d).Count(c => c == ':') == 1).Order(StringComparer.Ordinal);
        var found = new List<RaplCounter>();
        foreach (var zone in zones)
        {
            var energy = Path.Combine(zone, "energy_uj");
            if (ReadNumber(energy) is null || ReadNumber(Path.Combine(zone, "max_energy_range_uj")) is not { } range) continue;
            found.Add(new RaplCounter(energy, range));
        }
        return found;
    }

    public long? Read() => ReadNumber(EnergyFile);

    private static long? ReadNumber(string path)
    {
        try
        {
            return long.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
