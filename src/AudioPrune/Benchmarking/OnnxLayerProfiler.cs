using AudioPrune.Inference;
using AudioPrune.Interop.Onnx;

namespace AudioPrune.Benchmarking;

/// <summary>Where an ONNX Runtime run's time goes, layer by layer, from ONNX Runtime's own profiler.</summary>
internal static class OnnxLayerProfiler
{
    /// <summary>True when <paramref name="engine"/> can be profiled: an ONNX Runtime engine made from an artifact.</summary>
    public static bool CanProfile(IInferenceEngine engine) => engine is OnnxInferenceEngine { Source: not null };

    /// <summary>
    /// Runs the model <paramref name="warmup"/> + <paramref name="runs"/> times in a separate, profiled session
    /// (so the profiler's cost stays out of the engine's own timings) and returns the timed runs' breakdown.
    /// </summary>
    public static LayerProfile Profile(IInferenceEngine engine, float[] input, int batch, int warmup, int runs)
    {
        if (engine is not OnnxInferenceEngine { Source: var (model, options) } onnx)
            throw new InvalidOperationException("only an ONNX Runtime engine made from a model artifact knows its layers");
        var prefix = Path.Combine(Path.GetTempPath(), $"audioprune-profile-{Environment.ProcessId}-{Guid.NewGuid():N}");
        string? trace = null;
        try
        {
            using (var profiled = onnx.OpenProfiled(prefix))
            {
                for (var i = 0; i < warmup + runs; i++) profiled.Run(input, batch);
                trace = profiled.EndProfiling();
            }
            var nodes = OnnxRuntimeTrace.Read(trace);
            return LayerProfile.From(nodes, warmup, model.Graph, node => OnnxExecutedMacs.OfNode(model.Graph, node, options.ConvolutionLayout));
        }
        finally
        {
            if (trace is not null) File.Delete(trace);
            // ONNX Runtime appends a time stamp to the prefix; a session that failed may still have written its trace.
            foreach (var left in Directory.EnumerateFiles(Path.GetTempPath(), Path.GetFileName(prefix) + "*")) File.Delete(left);
        }
    }
}
