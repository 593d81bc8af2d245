using AudioPrune.Common;
using AudioPrune.Graph;
using AudioPrune.Interop;
using AudioPrune.Interop.Onnx;
using AudioPrune.Pruning.Dependency;
using AudioPrune.Pruning.Planning;

namespace AudioPrune;

/// <summary>
/// A network with its weights, labels, front end and normalisation: the one object a library user loads, prunes,
/// fine-tunes, evaluates, saves and exports. Each operation returns a new model and leaves this one unchanged.
/// <code>
/// var model = AudioPruneModel.Load("dcase21");
/// var result = model.Prune(Criteria.Similarity(), Target.Own);
/// result.Save("pruned.safetensors", "plan.json");
/// </code>
/// </summary>
public sealed class AudioPruneModel
{
    internal AudioPruneModel(ModelArtifact artifact) => Artifact = artifact;

    internal ModelArtifact Artifact { get; }

    /// <summary>
    /// Loads <paramref name="model"/>: a zoo name (dcase21, vggish, cnn14, mn10, ...: seeded random weights), an
    /// AudioPrune .safetensors file, or a file to import (.onnx, Keras .h5, PyTorch state_dict .pt/.pth).
    /// </summary>
    public static AudioPruneModel Load(string model, LoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new LoadOptions();
        var input = options.InputShape is { } dims ? new Shape([.. dims]) : null;
        return new AudioPruneModel(ModelLoader.Load(model, input, options.Seed, options.Classes));
    }

    /// <summary>The network's name (its zoo name, or the name the importer gave it).</summary>
    public string Name => Artifact.Graph.Name;

    /// <summary>One example's input shape, e.g. (1, 40, 500): channels, mel bins, frames.</summary>
    public IReadOnlyList<int> InputShape => Artifact.Graph.Input.Dims;

    /// <summary>The class names, in output order.</summary>
    public IReadOnlyList<string> Labels => Artifact.Labels;

    /// <summary>Parameters, multiply-adds per example and weight bytes.</summary>
    public Complexity Complexity => Complexity.Of(Artifact.Graph);

    /// <summary>The channel groups that can be pruned, by the names <see cref="PruneOptions.Layers"/> takes.</summary>
    public IReadOnlyList<string> PrunableLayers => ChannelDependency.Analyse(Artifact.Graph).ConvGroups.Select(g => g.Name).ToArray();

    /// <summary>
    /// Prunes filters by <paramref name="criterion"/> to <paramref name="target"/> in one shot, from the weights alone,
    /// and rebuilds the smaller network.
    /// </summary>
    public PruneResult Prune(IFilterImportance criterion, Target target, PruneOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(criterion);
        ArgumentNullException.ThrowIfNull(target);
        options ??= new PruneOptions();
        var request = target.Apply(new PruningRequest
        {
            Layers = options.Layers is { Count: > 0 } layers ? string.Join(',', layers) : null,
            RoundTo = options.RoundTo,
            IncludeDistances = options.IncludeDistances,
        });
        var result = PruningPlanner.Run(Artifact.Graph, Artifact.Weights, request, criterion);
        return new PruneResult(new AudioPruneModel(PrunedModel.Create(Artifact, result)), new PrunePlan(result.Plan));
    }

    /// <summary>
    /// Fine-tunes (or trains) the model on the dataset at <paramref name="data"/> (a DCASE/TAU, ESC-50, UrbanSound8K or
    /// class-per-folder tree, or a CSV manifest). Cancelling throws <see cref="OperationCanceledException"/> before the next
    /// batch; with a <see cref="FineTuneOptions.RunFolder"/>, the last finished epoch's checkpoint stays and the same call resumes from it.
    /// </summary>
    public FineTuneResult FineTune(string data, FineTuneOptions? options = null, CancellationToken cancel = default) =>
        FineTuning.Run(this, data, options ?? new FineTuneOptions(), cancel);

    /// <summary>Scores the model on one split of the dataset at <paramref name="data"/>.</summary>
    public Evaluation Evaluate(string data, EvaluateOptions? options = null) =>
        Evaluation.Run(this, data, options ?? new EvaluateOptions());

    /// <summary>
    /// Classifies one recording (WAV or OGG Vorbis) with the model's front end and normalisation (or the front-end
    /// <paramref name="preset"/>, for a model that stores none): every class with its probability, most likely first.
    /// </summary>
    public IReadOnlyList<ClassProbability> Predict(string audio, string? preset = null) => Prediction.Run(this, audio, preset);

    /// <summary>Writes the model as an AudioPrune .safetensors file (atomically: an existing file is replaced whole or not at all).</summary>
    public void Save(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        Artifact.Save(path);
    }

    /// <summary>
    /// Writes the model as ONNX: one Conv node per conv layer unless <see cref="OnnxOptions.TunedForThisCpu"/>, with the
    /// labels, front end and normalisation in its metadata (docs/formats.md gives the input contract).
    /// </summary>
    public void ExportOnnx(string path, OnnxOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        options ??= new OnnxOptions();
        var export = new OnnxExportOptions(options.Opset, options.FoldBatchNorm,
            ConvolutionLayout: options.TunedForThisCpu ? ConvolutionLayouts.ForThisCpu() : ConvolutionLayout.Plain).Validated();
        OnnxExporter.Write(Artifact, path, export);
    }

    public override string ToString() => $"{Name} {Artifact.Graph.Input} -> {Labels.Count} classes";
}

/// <summary>How <see cref="AudioPruneModel.Load"/> reads or builds a model.</summary>
public sealed record LoadOptions
{
    /// <summary>One example's input shape, to rebuild the network for another clip length (null: the model's own).</summary>
    public IReadOnlyList<int>? InputShape { get; init; }

    /// <summary>Seed of a zoo model's random weights.</summary>
    public int Seed { get; init; }

    /// <summary>A zoo model's class count (null: its preset's).</summary>
    public int? Classes { get; init; }
}
