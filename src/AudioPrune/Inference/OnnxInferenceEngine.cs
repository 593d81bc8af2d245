using AudioPrune.Graph;
using AudioPrune.Interop;
using AudioPrune.Interop.Onnx;

namespace AudioPrune.Inference;

/// <summary>
/// ONNX Runtime inference of an artifact: the model is exported (batch norm folded, as a deployment would)
/// to a temporary .onnx file, loaded into a session, and the file removed. Unlike a written export (plain by default),
/// the convolution layout is the one tuned for this CPU unless given, since this file runs only here
/// (see <see cref="ConvolutionLayouts.ForThisCpu"/>).
/// </summary>
internal sealed class OnnxInferenceEngine : IInferenceEngine
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

    /// <summary>The artifact and export options this engine was made from (null for an .onnx file run as it is).</summary>
    internal (ModelArtifact Model, OnnxExportOptions Options)? Source => model is null || options is null ? null : (model, options);

    /// <summary>A second session on the same export, writing ONNX Runtime's profile under <paramref name="profilePrefix"/>.</summary>
    internal OnnxModelRunner OpenProfiled(string profilePrefix) => Load(profilePrefix);

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
