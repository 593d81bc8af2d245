using AudioPrune.Common;
using Microsoft.ML.OnnxRuntime;

namespace AudioPrune.Interop;

/// <summary>
/// Runs an ONNX model with ONNX Runtime on the CPU: a flat float batch in (N x per-example input, row-major),
/// a flat float batch out. Holds one session; not thread-safe for concurrent runs of one instance.
/// </summary>
internal sealed class OnnxModelRunner : IDisposable
{
    private readonly InferenceSession session;
    private readonly string inputName;
    private readonly string outputName;

    /// <param name="profilePrefix">When given, the session times every node (ONNX Runtime's profiler) and
    /// <see cref="EndProfiling"/> writes the trace to a file whose name starts with this path.</param>
    public OnnxModelRunner(string path, int threads = 1, string? profilePrefix = null)
    {
        InputFile.Check(path, "ONNX model");
        if (threads < 1) throw new UserInputException($"threads must be at least 1, got {threads}");
        using var options = new SessionOptions
        {
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        if (profilePrefix is not null)
        {
            // The prefix first: turning profiling on hands ONNX Runtime the prefix set at that moment.
            options.ProfileOutputPathPrefix = profilePrefix;
            options.EnableProfiling = true;
        }
        try
        {
            session = new InferenceSession(path, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw UserInputException.InFile(path, $"ONNX Runtime cannot load it: {e.Message.ReplaceLineEndings(" ")}");
        }
        if (session.InputMetadata.Count != 1 || session.OutputMetadata.Count != 1)
        {
            session.Dispose();
            throw UserInputException.InFile(path, "expected a model with one input and one output");
        }
        var input = session.InputMetadata.Single();
        inputName = input.Key;
        outputName = session.OutputMetadata.Keys.Single();
        ExampleShape = input.Value.Dimensions.Skip(1).ToArray();
        OutputsPerExample = session.OutputMetadata.Values.Single().Dimensions.Skip(1).Aggregate(1, (a, d) => a * d);
        Metadata = session.ModelMetadata.CustomMetadataMap;
    }

    /// <summary>Per-example input dims (without the batch axis), e.g. [1, 40, 500].</summary>
    public int[] ExampleShape { get; }

    public int InputsPerExample => ExampleShape.Aggregate(1, (a, d) => a * d);
    public int OutputsPerExample { get; }

    /// <summary>The model's metadata_props (labels, front end, normalisation, graph).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The class labels written by the exporter, or null when the model carries none.</summary>
    public IReadOnlyList<string>? Labels =>
        Metadata.TryGetValue(Onnx.OnnxExporter.LabelsKey, out var json) ? System.Text.Json.JsonSerializer.Deserialize<string[]>(json) : null;

    public float[] Run(float[] batch, int batchSize)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), "batch size must be at least 1");
        if (batch.Length != (long)batchSize * InputsPerExample)
            throw new ArgumentException($"a batch of {batchSize} needs {batchSize * InputsPerExample} values, got {batch.Length}");
        long[] shape = [batchSize, .. ExampleShape.Select(d => (long)d)];
        using var input = OrtValue.CreateTensorValueFromMemory(batch, shape);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [inputName], [input], [outputName]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    /// <summary>Writes the profile of the runs so far and returns its path (a session made with a profile prefix).</summary>
    public string EndProfiling() => session.EndProfiling();

    public void Dispose() => session.Dispose();
}
