using AudioPrune.Graph;
using AudioPrune.Interop;
using AudioPrune.Interop.Onnx;

namespace AudioPrune.Benchmarking;

/// <summary>
/// ONNX Runtime inference of an artifact: the model is exported (batch norm folded, as a deployment would)
/// to a temporary .onnx file, loaded into a session, and the file removed. Unlike a written export (plain by default),
/// the convolution layout is the one tuned for this CPU unless given, since this file runs only here
/// (see <see cref="ConvolutionLayouts.ForThisCpu"/>).
/// </summary>
public sealed class OnnxInferenceEngine : IInferenceEngine, ILayerProfiler
{
    private readonly OnnxModelRunner runner;
    private readonly ModelArtifact? model;
    private readonly OnnxExportOptions? options;
    private readonly int threads;

    public OnnxInferenceEngine(ModelArtifact model, int threads, ConvolutionLayout? layout = null)
    {
        this.model = model;
        this.threads = threads;
        options = new OnnxExportOptions(FoldBatchNorm: true, ConvolutionLayout: layout ?? ConvolutionLayouts.ForThisCpu());
        if (layout == ConvolutionLayout.Plain) Name = "onnx-plain";
        ExecutedMacs = OnnxExecutedMacs.Of(model.Graph, options.ConvolutionLayout);
        Form = $"conv layout {options.ConvolutionLayout.Describe()}, batch norm folded";
        runner = Load(profilePrefix: null);
    }

    /// <summary>Runs an .onnx file as it is (e.g. one written by 'audioprune export'); the engine owns the runner.</summary>
    public OnnxInferenceEngine(OnnxModelRunner runner) => this.runner = runner;

    public string Name { get; } = "onnx";

    public long? ExecutedMacs { get; }

    public string? Form { get; }

    public float[] Run(float[] input, int batch) => runner.Run(input, batch);

    public LayerProfile Profile(float[] input, int batch, int warmup, int runs)
    {
        if (model is null || options is null) throw new InvalidOperationException("only an engine made from a model artifact knows its layers");
        var prefix = Path.Combine(Path.GetTempPath(), $"audioprune-profile-{Environment.ProcessId}-{Guid.NewGuid():N}");
        string? trace = null;
        try
        {
            using (var profiled = Load(prefix))
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

    private OnnxModelRunner Load(string? profilePrefix)
    {
        var path = Path.Combine(Path.GetTempPath(), $"audioprune-{Environment.ProcessId}-{Guid.NewGuid():N}.onnx");
        try
        {
            OnnxExporter.Write(model!, path, options!);
            return new OnnxModelRunner(path, threads, profilePrefix);
        }
        finally
        {
            File.Delete(path);
        }
    }

    public void Dispose() => runner.Dispose();
}
