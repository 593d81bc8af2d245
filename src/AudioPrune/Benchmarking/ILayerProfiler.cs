namespace AudioPrune.Benchmarking;

/// <summary>An inference engine that can say where a run's time goes, layer by layer (ONNX Runtime's profiler).</summary>
public interface ILayerProfiler
{
    /// <summary>
    /// Runs the model <paramref name="warmup"/> + <paramref name="runs"/> times in a separate, profiled session
    /// (so the profiler's cost stays out of the engine's own timings) and returns the timed runs' breakdown.
    /// </summary>
    LayerProfile Profile(float[] input, int batch, int warmup, int runs);
}
