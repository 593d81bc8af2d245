using AudioPrune.Common;
using AudioPrune.Data;
using AudioPrune.Inference;
using AudioPrune.Training;

namespace AudioPrune;

/// <summary>A dataset split.</summary>
public enum DataSplit
{
    Test,
    Validation,
    Train,
}

/// <summary>What runs the network: TorchSharp (libtorch) or ONNX Runtime (the model exported in memory, tuned for this CPU).</summary>
public enum Engine
{
    Torch,
    OnnxRuntime,
}

/// <summary>Which split to score and with what.</summary>
public sealed record EvaluateOptions
{
    public DataSplit Split { get; init; } = DataSplit.Test;

    public Engine Engine { get; init; } = Engine.Torch;

    /// <summary>Front-end preset name or a .json settings file, for a model that stores none (null: the model's own).</summary>
    public string? Preset { get; init; }

    /// <summary>Inference and feature threads (null: the machine's cores).</summary>
    public int? Threads { get; init; }

    /// <summary>Feature cache folder (null: ~/.cache/audioprune/features).</summary>
    public string? CacheDirectory { get; init; }
}

/// <summary>A model's clip-level scores on one split (a clip's probabilities are the mean over its segments).</summary>
/// <param name="Clips">Clips scored.</param>
/// <param name="Accuracy">Clip-level accuracy.</param>
/// <param name="BalancedAccuracy">The mean of the per-class accuracies.</param>
/// <param name="LogLoss">Mean negative log-probability of the true class.</param>
/// <param name="PerClassAccuracy">Accuracy per class name (null for a class with no clips in the split).</param>
/// <param name="MeanAveragePrecision">mAP, for sigmoid (multi-label) heads only.</param>
public sealed record Evaluation(int Clips, double Accuracy, double BalancedAccuracy, double LogLoss,
    IReadOnlyDictionary<string, double?> PerClassAccuracy, double? MeanAveragePrecision)
{
    internal static Evaluation Run(AudioPruneModel model, string data, EvaluateOptions options)
    {
        ArgumentNullException.ThrowIfNull(data);
        var threads = options.Threads ?? Environment.ProcessorCount;
        if (threads < 1) throw new UserInputException($"{{@Threads}} must be at least 1, got {threads}");
        using var engine = InferenceEngines.Create(options.Engine == Engine.Torch ? "torch" : "onnx", model.Artifact, threads);
        using var loaded = ModelData.Load(model.Artifact, data, new DatasetLoadOptions { CacheDirectory = options.CacheDirectory, Threads = threads },
            reuseModelNormalization: true, options.Preset);
        var set = options.Split switch
        {
            DataSplit.Train => loaded.Splits.Train,
            DataSplit.Validation => loaded.Splits.Validation,
            _ => loaded.Splits.Test,
        };
        if (set.Count == 0) throw new UserInputException($"{data}: the {options.Split.ToString().ToLowerInvariant()} split has no examples");
        var clip = Evaluator.Evaluate(engine, model.Artifact, set).ClipLevel;
        return new Evaluation(clip.Count, clip.Accuracy, clip.BalancedAccuracy, clip.LogLoss, clip.PerClassAccuracy, clip.MeanAveragePrecision);
    }
}
