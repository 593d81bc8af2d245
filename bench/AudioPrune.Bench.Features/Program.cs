using System.Diagnostics;
using System.Globalization;
using AudioPrune.Audio;

// Feature-extraction throughput: 10 s 44.1 kHz 16-bit WAV clips -> dcase2021 log-mel (1x40x500),
// including file reading and decoding. Reports clips per second on one core and on all cores.
// Usage: dotnet run -c Release --project bench/AudioPrune.Bench.Features [-- CLIPS [PRESET]]
var clips = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 40;
var settings = FrontEndSettings.FromPreset(args.Length > 1 ? args[1] : "dcase2021");
var folder = Path.Combine(Path.GetTempPath(), $"audioprune-bench-{Environment.ProcessId}");
try
{
    Console.WriteLine($"writing {clips} synthetic 10 s clips (44.1 kHz, 16-bit, stereo) to {folder}");
    SyntheticScenes.Write(folder, new SyntheticSceneOptions { Clips = clips, Seconds = 10, Seed = 1 });
    var files = Directory.GetFiles(Path.Combine(folder, "audio"), "*.wav").Order().ToArray();
    StereoCopies(files);

    var checksum = 0.0;
    var process = Process.GetCurrentProcess();
    // Wall-clock rate, and the rate per CPU-second used by the process (GC included): the per-core figure,
    // which stays meaningful when other work shares the machine.
    (double Wall, double PerCpuSecond) Run(int threads)
    {
        process.Refresh();
        var cpu = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var sums = new double[files.Length];
        Parallel.For(0, files.Length, new ParallelOptions { MaxDegreeOfParallelism = threads },
            i => sums[i] = FeaturePipeline.ForFile(files[i], settings).Examples.Sum(e => e.Sum()));
        checksum = sums.Sum();
        var wall = watch.Elapsed.TotalSeconds;
        process.Refresh();
        return (files.Length / wall, files.Length / (process.TotalProcessorTime - cpu).TotalSeconds);
    }

    Run(1); // warm-up: JIT, filter bank, page cache
    var single = Enumerable.Range(0, 3).Select(_ => Run(1)).MaxBy(r => r.PerCpuSecond);
    var cores = Environment.ProcessorCount;
    var all = Enumerable.Range(0, 3).Select(_ => Run(cores)).MaxBy(r => r.Wall);
    Console.WriteLine($"preset {settings.Preset}, example {settings.ExampleShape}, checksum {checksum:F1}, load average {LoadAverage()}");
    Console.WriteLine($"1 thread:  {single.Wall:F1} clips/s wall, {single.PerCpuSecond:F1} clips per CPU-second ({1000 / single.PerCpuSecond:F1} CPU-ms per clip)");
    Console.WriteLine($"{cores} threads: {all.Wall:F1} clips/s wall ({all.Wall / cores:F1} per core), {all.PerCpuSecond:F1} clips per CPU-second");
    Console.WriteLine($"target: >= 30 clips/s per core -> {(single.PerCpuSecond >= 30 ? "met" : "NOT met")}");
}
finally
{
    Directory.Delete(folder, recursive: true);
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

// Real recordings are often stereo: rewrite each clip as two channels so decoding includes a downmix.
static void StereoCopies(string[] files)
{
    foreach (var file in files)
    {
        var mono = AudioDecoder.Read(file).Samples;
        var right = mono.Select(v => v * 0.9f).ToArray();
        WavWriter.Write(file, 44100, [mono, right], SampleEncoding.Pcm, 16);
    }
}
