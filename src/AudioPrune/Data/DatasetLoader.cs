using System.Collections.Concurrent;
using AudioPrune.Audio;
using AudioPrune.Common;
using AudioPrune.Data.Layouts;

namespace AudioPrune.Data;

/// <summary>
/// Dataset folder (or manifest) -> normalised train/validation/test example sets: detects the layout, plans the
/// splits, fills the feature cache in parallel (one worker per core), skips and lists bad files (or stops on
/// the first with Strict), computes per-band normalisation on the training split, and maps the cache.
/// </summary>
internal static class DatasetLoader
{
    public static LoadedDataset Load(string root, FrontEndSettings settings, DatasetLoadOptions? options = null)
    {
        options ??= new DatasetLoadOptions();
        settings.Validate();
        var dataset = DatasetDetector.Read(root);
        var plan = SplitPlanner.Plan(dataset, options.Splits);
        var cacheDirectory = options.CacheDirectory ?? FeatureCache.DefaultDirectory();
        var cache = new FeatureCache(cacheDirectory, settings);
        var entries = plan.Train.Concat(plan.Validation).Concat(plan.Test).ToArray();
        var clips = new CachedClip?[entries.Length];
        var skipped = new ConcurrentBag<(int Index, SkippedFile File)>();
        var computed = 0;
        var done = 0;
        var step = Math.Max(1, entries.Length / 20);
        UserInputException? firstError = null;
        options.Log?.Invoke($"{dataset.Layout} dataset at {dataset.Root}: {entries.Length} files, features in {cache.Directory}");
        Parallel.For(0, entries.Length, new ParallelOptions { MaxDegreeOfParallelism = options.Threads ?? Environment.ProcessorCount }, (i, state) =>
        {
            try
            {
                clips[i] = cache.GetOrCompute(entries[i].FullPath, out var fresh, options.Warning);
                if (fresh) Interlocked.Increment(ref computed);
            }
            catch (FeatureCacheException e)
            {
                Stop(new UserInputException(e.Message, e), state);
                return;
            }
            catch (UserInputException e)
            {
                if (options.Strict)
                {
                    Stop(e, state);
                    return;
                }
                skipped.Add((i, new SkippedFile(entries[i].FullPath, StripPath(e.Message, entries[i].FullPath))));
                options.Log?.Invoke($"skipped {e.Message}");
            }
            var n = Interlocked.Increment(ref done);
            if (n % step == 0 || n == entries.Length) options.Log?.Invoke($"features: {n}/{entries.Length} files");
        });
        if (firstError is not null) throw firstError;

        void Stop(UserInputException error, ParallelLoopState state)
        {
            Interlocked.CompareExchange(ref firstError, error, null);
            state.Stop();
        }

        var classIndex = dataset.ClassNames.Select((name, index) => (name, index)).ToDictionary(p => p.name, p => p.index, StringComparer.Ordinal);
        var shape = settings.ExampleShape;
        var offset = 0;
        var sets = new Dictionary<string, (DatasetEntry Entry, CachedClip Clip)[]>();
        foreach (var split in SplitNames.All)
        {
            var list = plan.Of(split);
            sets[split] = list.Select((e, k) => (Entry: e, Clip: clips[offset + k])).Where(p => p.Clip is not null).Select(p => (p.Entry, p.Clip!)).ToArray();
            offset += list.Count;
        }
        if (sets[SplitNames.Train].Length == 0)
            throw new UserInputException($"{dataset.Root}: no usable training files ({skipped.Count} skipped, e.g. {skipped.FirstOrDefault().File?.Reason})");

        MappedExampleSet Build(string split, FeatureNormalization? n) =>
            new(shape, dataset.ClassNames, sets[split].Select(p => (p.Clip, classIndex[p.Entry.Label], p.Entry.ClipId)), n);

        FeatureNormalization normalization;
        if (options.Normalization is { } given) normalization = given;
        else
        {
            using var raw = Build(SplitNames.Train, null);
            normalization = FeatureNormalization.For(settings, raw.RawExamples());
        }
        var splits = new DataSplits(Build(SplitNames.Train, normalization), Build(SplitNames.Validation, normalization), Build(SplitNames.Test, normalization));
        var summary = SplitNames.All.Select(split => new SplitSummary(split, sets[split].Length, sets[split].Sum(p => p.Clip.ExampleCount),
            sets[split].GroupBy(p => p.Entry.Label).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()))).ToArray();
        var durations = DurationStatistics.Of(clips.Where(c => c is not null).Select(c => c!.DurationSeconds).ToArray());
        var skippedList = skipped.OrderBy(s => s.Index).Select(s => s.File).ToArray();
        var usable = clips.Count(c => c is not null);
        return new LoadedDataset(dataset, settings, plan, splits, normalization, skippedList, summary, durations,
            computed, usable - computed, cache.Directory);
    }

    /// <summary>The decoder's message without the "path: " prefix (the path is listed separately).</summary>
    private static string StripPath(string message, string path) =>
        message.StartsWith(path + ": ", StringComparison.Ordinal) ? message[(path.Length + 2)..] : message;
}
