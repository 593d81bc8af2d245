using AudioPrune.Graph;
using AudioPrune.Interop;
using AudioPrune.Interop.Onnx;

namespace AudioPrune.Benchmarking;

/// <summary>
/// ONNX Runtime inference of an artifact: the model is exported (batch norm folded, as a deployment would)
/// to a temporary .onnx file, loaded into a session, and the file removed. The convolution layout is this CPU's
/// unless given (see <see cref="ConvolutionLayouts.ForThisCpu"/>).
/// </summary>
public sealed class OnnxInferenceEngine : IInferenceEngine
{
    private readonly OnnxModelRunner runner;

    public OnnxInferenceEngine(ModelArtifact model, int threads, ConvolutionLayout? layout = null)
    {
        var path = Path.Combine(Path.GetTempPath(), $"audioprune-{Environment.ProcessId}-{Guid.NewGuid():N}.onnx");
        try
        {
            var options = new OnnxExportOptions(FoldBatchNorm: true, ConvolutionLayout: layout);
            OnnxExporter.Write(model, path, options);
            if (layout == ConvolutionLayout.Plain) Name = "onnx-plain";
            ExecutedMacs = OnnxExecutedMacs.Of(model.Graph, options.Layout);
            Form = $"convolution layout {options.Layout.ToString().ToLowerInvariant()}, batch norm folded";
            runner = new OnnxModelRunner(path, threads);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Runs an .onnx file as it is (e.g. one written by 'audioprune export'); the engine owns the runner.</summary>
    public OnnxInferenceEngine(OnnxModelRunner runner) => this.runner = runner;

    public string Name { get; } = "onnx";

    public long? ExecutedMacs { get; }

    public string? Form { get; }

    public float[] Run(float[] input, int batch) => runner.Run(input, batch);

    public void Dispose() => runner.Dispose();
}
