using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

// In-process micro-benchmarks (BenchmarkDotNet) of the similarity criteria on each VGGish_Net layer: the per-layer
// figures of the importance benchmark with BenchmarkDotNet's statistics (mean, error, standard deviation).
// Usage: dotnet bench/AudioPrune.Bench.Micro/bin/Release/net10.0/AudioPrune.Bench.Micro.dll [--artifacts DIR]
// The in-process toolchain runs the benchmarks in this process (no generated project to build); ShortRun keeps the
// whole set to about a minute on two cores.
var artifacts = args.SkipWhile(a => a != "--artifacts").Skip(1).FirstOrDefault() ?? "BenchmarkDotNet.Artifacts";
var config = DefaultConfig.Instance
    .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
    .WithArtifactsPath(artifacts)
    .WithOptions(ConfigOptions.DisableOptimizationsValidator);
var summary = BenchmarkRunner.Run<AudioPrune.Bench.Micro.LayerImportanceBenchmarks>(config);
return summary.HasCriticalValidationErrors || summary.Reports.Any(r => !r.Success) ? 1 : 0;
