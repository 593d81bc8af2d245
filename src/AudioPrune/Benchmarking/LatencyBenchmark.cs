using AudioPrune.Inference;
using AudioPrune.Common;
using AudioPrune.Graph;

namespace AudioPrune.Benchmarking;

/// <summary>How to time a model; <see cref="Profile"/> adds a per-layer breakdown from profiled runs after the timed ones.</summary>
internal sealed record LatencySettings(string Engine = "onnx", int Batch = 1, int Threads = 1, int Warmup = 10, int Runs = 50, int Seed = 0,
    bool Profile = false);

/// <summary>
/// A model's measured latency and, when a parent (the unpruned network) is given, the measured speed-up beside
/// the MACs ratio. MAC efficiency = measured speed-up / MACs ratio: 1.0 means the saved MACs all became saved time.
/// The executed MACs are what the engine's kernels really do (<see cref="IInferenceEngine.ExecutedMacs"/>); the
/// efficiency against them separates the kernels' speed from the multiply-adds that padding and folding add back.
/// Form and ParentForm say how each engine ran its network (<see cref="IInferenceEngine.Form"/>); Layers and
/// ParentLayers where the time went, when profiled (<see cref="OnnxLayerProfiler"/>).
/// </summary>
internal sealed record LatencyResult(
    string Engine, int Batch, int Threads, long Macs, LatencyStats Model,
    long? ParentMacs = null, LatencyStats? Parent = null, long? ExecutedMacs = null, long? ParentExecutedMacs = null,
    string? Form = null, string? ParentForm = null, LayerProfile? Layers = null, LayerProfile? ParentLayers = null)
{
    public double? MacsRatio => ParentMacs is { } p ? p / (double)Macs : null;
    public double? MeasuredSpeedup => Parent is { } p ? p.MedianMs / Model.MedianMs : null;
    public double? MacEfficiency => MeasuredSpeedup / MacsRatio;
    public double? ExecutedMacsRatio => ParentExecutedMacs / (double?)ExecutedMacs;
    public double? ExecutedMacEfficiency => MeasuredSpeedup / ExecutedMacsRatio;
}

internal static class LatencyBenchmark
{
    /// <summary>Times the model (and its parent, in alternating blocks of runs) on seeded random input.</summary>
    public static LatencyResult Run(ModelArtifact model, LatencySettings settings, ModelArtifact? parent = null)
    {
        if (settings.Batch < 1) throw new UserInputException($"{{@Batch}} must be at least 1, got {settings.Batch}");
        if (settings.Runs < 1) throw new UserInputException($"{{@Runs}} must be at least 1, got {settings.Runs}");
        if (parent is not null && !parent.Graph.Input.Equals(model.Graph.Input))
            throw new UserInputException($"the parent's input {parent.Graph.Input} differs from the model's {model.Graph.Input}");
        var input = RandomInput(model.Graph.Input, settings.Batch, settings.Seed);
        var macs = ComplexityReport.Of(model.Graph).Macs;
        using var engine = InferenceEngines.Create(settings.Engine, model, settings.Threads);
        if (settings.Profile && !OnnxLayerProfiler.CanProfile(engine))
            throw new UserInputException($"{{@Profile}} needs an ONNX Runtime engine (onnx or onnx-plain), not '{settings.Engine}'");
        void RunModel() => engine.Run(input, settings.Batch);
        LayerProfile? Profile(IInferenceEngine e) =>
            settings.Profile ? OnnxLayerProfiler.Profile(e, input, settings.Batch, settings.Warmup, settings.Runs) : null;
        if (parent is null)
        {
            var alone = LatencyMeter.Measure(RunModel, settings.Warmup, settings.Runs);
            return new LatencyResult(settings.Engine, settings.Batch, settings.Threads, macs, alone,
                ExecutedMacs: engine.ExecutedMacs, Form: engine.Form, Layers: Profile(engine));
        }
        using var parentEngine = InferenceEngines.Create(settings.Engine, parent, settings.Threads);
        var (stats, parentStats) = LatencyMeter.MeasureInterleaved(RunModel, () => parentEngine.Run(input, settings.Batch),
            settings.Warmup, settings.Runs);
        return new LatencyResult(settings.Engine, settings.Batch, settings.Threads, macs, stats,
            ComplexityReport.Of(parent.Graph).Macs, parentStats, engine.ExecutedMacs, parentEngine.ExecutedMacs, engine.Form, parentEngine.Form,
            Profile(engine), Profile(parentEngine));
    }

    private static float[] RandomInput(Shape example, int batch, int seed)
    {
        var random = new Random(seed);
        var values = new float[example.Elements * batch];
        for (var i = 0; i < values.Length; i++) values[i] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }
}
