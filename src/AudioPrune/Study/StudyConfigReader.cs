using AudioPrune.Inference;
using AudioPrune.Audio;
using AudioPrune.Benchmarking;
using AudioPrune.Common;
using AudioPrune.Interop;
using AudioPrune.Pruning.Planning;
using AudioPrune.Training;

namespace AudioPrune.Study;

/// <summary>
/// Reads a study config (YAML or JSON) and checks it completely before any work starts: unknown keys, criteria,
/// layers and engines, out-of-range numbers and missing paths are errors that name the file and line.
/// </summary>
internal static class StudyConfigReader
{
    public const string SyntheticData = "synthetic";

    public static StudyConfig Read(string path)
    {
        var root = ConfigSection.Load(path);
        var configDir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var config = new StudyConfig
        {
            Name = root.String("name", Path.GetFileNameWithoutExtension(path)),
            Data = DataPath(root, configDir),
            Synthetic = Synthetic(root.Section("synthetic")),
            Cache = root.OptionalString("cache") is { } cache ? Path.GetFullPath(cache, configDir) : null,
            Model = ModelPath(root.String("model"), configDir),
            Preset = root.OptionalString("preset"),
            Baseline = Stage(root.Section("baseline"), defaultEpochs: 30),
            Criteria = Criteria(root),
            LayerSets = root.NamedLists("layers").Select(l => new LayerSet(l.Name, l.Values)).DefaultIfEmpty(new LayerSet("all", [])).ToArray(),
            Fractions = root.Doubles("fractions", [1.0], 1e-3, 1.0),
            Inits = root.Strings("inits", ["pruned"]).Select(i => Init(root, i)).ToArray(),
            Seeds = root.Ints("seeds", [0], 0),
            Finetune = Stage(root.Section("finetune"), defaultEpochs: 30),
            Control = root.Bool("control", true),
            Distillation = Distillation(root.Section("distillation")),
            Folds = Folds(root),
            Threads = root.Int("threads", Math.Max(1, Environment.ProcessorCount), 1, 256),
        };
        var prune = root.Section("prune");
        config = config with
        {
            Amount = Amount(root, prune, config.Criteria),
            Representation = prune?.String("representation", "rank1") ?? "rank1",
            Latency = Latency(root.Section("latency")),
        };
        prune?.EnsureAllKeysUsed();
        root.EnsureAllKeysUsed();
        if (config.Preset is not null) FrontEndSettings.FromPreset(config.Preset);
        CheckLayers(root, config);
        return config;
    }

    private static string? DataPath(ConfigSection root, string configDir)
    {
        var data = root.String("data");
        if (data.Equals(SyntheticData, StringComparison.OrdinalIgnoreCase)) return null;
        var full = Path.GetFullPath(data, configDir);
        if (!Directory.Exists(full) && !File.Exists(full)) throw root.ErrorAt("data", $"dataset '{data}' does not exist (or use '{SyntheticData}')");
        return full;
    }

    private static string ModelPath(string model, string configDir)
    {
        var asFile = Path.GetFullPath(model, configDir);
        return File.Exists(asFile) ? asFile : model;
    }

    private static SyntheticSceneOptions Synthetic(ConfigSection? section)
    {
        var defaults = new SyntheticSceneOptions();
        if (section is null) return defaults;
        var options = new SyntheticSceneOptions
        {
            Clips = section.Int("clips", defaults.Clips, 8, 100_000),
            Seconds = section.Double("seconds", defaults.Seconds, 0.5, 60),
            Seed = section.Int("seed", defaults.Seed),
            Classes = section.Int("classes", defaults.Classes, 2, 8),
            Folds = section.Int("folds", 0, 0, 100),
        };
        section.EnsureAllKeysUsed();
        return options;
    }

    private static TrainStage Stage(ConfigSection? section, int defaultEpochs)
    {
        if (section is null) return new TrainStage(true, defaultEpochs, 32, 1e-3, null);
        var stage = new TrainStage(
            section.Bool("train", true),
            section.Int("epochs", defaultEpochs, 1, 100_000),
            section.Int("batch_size", 32, 1, 65_536),
            section.Double("lr", 1e-3, 1e-9, 10),
            section.Has("patience") ? section.Int("patience", 0, 1, 100_000) : null);
        section.EnsureAllKeysUsed();
        return stage;
    }

    /// <summary>folds: all | [1, 2, ...]: run the dataset's k-fold protocol, each listed fold in turn as the test split.</summary>
    private static StudyFolds? Folds(ConfigSection root)
    {
        if (!root.Has("folds")) return null;
        var items = root.Strings("folds", []);
        if (items is ["all"]) return new StudyFolds(true, []);
        var folds = root.Ints("folds", [], 0, 1000);
        if (folds.Count == 0 || folds.Distinct().Count() != folds.Count) throw root.ErrorAt("folds", "give 'all' or distinct fold numbers");
        return new StudyFolds(false, folds);
    }

    /// <summary>distillation: {mode: off | on | both, weight: 0.5, temperature: 2}; the teacher is the study's unpruned parent.</summary>
    private static StudyDistillation Distillation(ConfigSection? section)
    {
        if (section is null) return StudyDistillation.Off;
        var mode = section.String("mode", "on").ToLowerInvariant();
        bool[] modes = mode switch
        {
            "off" => [false],
            "on" => [true],
            "both" => [false, true],
            _ => throw section.ErrorAt("mode", $"unknown distillation mode '{mode}' (expected off, on or both)"),
        };
        var settings = new StudyDistillation(modes,
            section.Double("weight", DistillationSettings.DefaultWeight, 0, 1),
            section.Double("temperature", DistillationSettings.DefaultTemperature, 1e-3, 100));
        section.EnsureAllKeysUsed();
        return settings;
    }

    private static IReadOnlyList<string> Criteria(ConfigSection root)
    {
        var criteria = root.Strings("criteria", []).Select(c => c.ToLowerInvariant()).ToArray();
        if (criteria.Length == 0) throw root.ErrorAt("criteria", "name at least one pruning criterion");
        foreach (var criterion in criteria)
        {
            if (!CriterionCatalog.Names.Contains(criterion))
                throw root.ErrorAt("criteria", $"unknown criterion '{criterion}' (expected {string.Join(", ", CriterionCatalog.Names)})");
        }
        return criteria.Distinct().ToArray();
    }

    private static InitMode Init(ConfigSection root, string text) => text.ToLowerInvariant() switch
    {
        "pruned" => InitMode.Pruned,
        "random" => InitMode.Random,
        _ => throw root.ErrorAt("inits", $"unknown initialisation '{text}' (expected pruned or random)"),
    };

    /// <summary>
    /// Without a ratio or counts, the similarity criteria choose their own counts and the other criteria take
    /// the first similarity criterion's counts (the papers' equal-count comparison).
    /// </summary>
    private static PruneAmount Amount(ConfigSection root, ConfigSection? prune, IReadOnlyList<string> criteria)
    {
        var ratio = prune is not null && prune.Has("ratio") ? prune.Double("ratio", 0, 0, 0.999) : (double?)null;
        var keep = prune is not null && prune.Has("keep") ? prune.Ints("keep", [], 1) : null;
        var match = prune?.OptionalString("match");
        if (ratio is not null && keep is not null) throw prune!.ErrorAt("keep", "give a ratio or kept counts, not both");
        if (ratio is not null || keep is not null) return new PruneAmount(ratio, keep);
        var selfCounting = criteria.FirstOrDefault(c => c is "similarity" or "nystrom");
        match ??= selfCounting;
        if (match is null)
            throw root.ErrorAt("criteria", $"{string.Join(", ", criteria)} need prune.ratio or prune.keep (only similarity and nystrom choose their own counts)");
        if (!criteria.Contains(match)) throw prune!.ErrorAt("match", $"'{match}' is not one of the study's criteria");
        return new PruneAmount(MatchCriterion: match);
    }

    private static LatencySettings Latency(ConfigSection? section)
    {
        var defaults = new LatencySettings(Runs: 30, Warmup: 5);
        if (section is null) return defaults;
        var settings = new LatencySettings(
            section.String("engine", defaults.Engine), section.Int("batch", defaults.Batch, 1, 4096),
            section.Int("threads", defaults.Threads, 1, 256), section.Int("warmup", defaults.Warmup, 0, 10_000),
            section.Int("runs", defaults.Runs, 1, 100_000));
        if (!InferenceEngines.Names.Contains(settings.Engine, StringComparer.OrdinalIgnoreCase))
            throw section.ErrorAt("engine", $"unknown engine '{settings.Engine}' (expected {string.Join(" or ", InferenceEngines.Names)})");
        section.EnsureAllKeysUsed();
        return settings;
    }

    /// <summary>Every layer set must name conv layers of the model (checked on its graph, before any training).</summary>
    private static void CheckLayers(ConfigSection root, StudyConfig config)
    {
        var graph = ModelLoader.LoadGraph(config.Model);
        foreach (var set in config.LayerSets)
        {
            try
            {
                LayerSelector.Select(graph, set.Selector);
            }
            catch (UserInputException e)
            {
                throw root.ErrorAt("layers", $"layer set '{set.Name}': {e.Message}");
            }
        }
    }
}
