using System.Collections.Concurrent;
using System.IO.MemoryMappedFiles;
using AudioPrune.Audio;
using AudioPrune.Common;
using AudioPrune.Graph;

namespace AudioPrune.Data;

/// <summary>
/// An <see cref="IExampleSet"/> over feature-cache entries, memory-mapped (each entry mapped on first use)
/// and normalised as it is copied out. Each entry's mapped bytes are checked against its checksum once, when it is
/// mapped. Safe for concurrent readers. Dispose to unmap.
/// </summary>
internal sealed class MappedExampleSet : IExampleSet, IDisposable
{
    private readonly (CachedClip Clip, int Example, int Label, string ClipId)[] items;
    private readonly FeatureNormalization? normalization;
    private readonly ConcurrentDictionary<string, Lazy<MemoryMappedViewAccessor>> views = new(StringComparer.Ordinal);

    public MappedExampleSet(Shape exampleShape, IReadOnlyList<string> classNames,
        IEnumerable<(CachedClip Clip, int Label, string ClipId)> clips, FeatureNormalization? normalization)
    {
        ExampleShape = exampleShape;
        ClassNames = classNames;
        this.normalization = normalization;
        items = clips.SelectMany(c => Enumerable.Range(0, c.Clip.ExampleCount).Select(i => (c.Clip, i, c.Label, c.ClipId))).ToArray();
        if (items.Any(i => i.Clip.ExampleElements != exampleShape.Elements))
            throw new ArgumentException($"cache entries do not hold examples of shape {exampleShape}");
    }

    public Shape ExampleShape { get; }
    public IReadOnlyList<string> ClassNames { get; }
    public int Count => items.Length;
    public int Label(int index) => items[index].Label;
    public string ClipId(int index) => items[index].ClipId;

    public void CopyFeatures(int index, Span<float> destination)
    {
        CopyRaw(index, destination);
        normalization?.Apply(destination[..items[index].Clip.ExampleElements]);
    }

    /// <summary>Raw (un-normalised) examples, e.g. to compute normalisation statistics.</summary>
    public IEnumerable<float[]> RawExamples()
    {
        for (var i = 0; i < items.Length; i++)
        {
            var buffer = new float[items[i].Clip.ExampleElements];
            CopyRaw(i, buffer);
            yield return buffer;
        }
    }

    private unsafe void CopyRaw(int index, Span<float> destination)
    {
        var (clip, example, _, _) = items[index];
        var view = views.GetOrAdd(clip.CachePath, _ => new Lazy<MemoryMappedViewAccessor>(() => Map(clip))).Value;
        var pointer = Acquire(view);
        try
        {
            new ReadOnlySpan<float>(pointer + clip.Offset(example), clip.ExampleElements).CopyTo(destination);
        }
        finally
        {
            view.SafeMemoryMappedViewHandle.ReleasePointer();
        }
    }

    /// <summary>
    /// Maps the entry and checks the mapped bytes against the checksum read when it was opened, so that an entry
    /// changed since (in place, by another process) is refused rather than used.
    /// </summary>
    private static unsafe MemoryMappedViewAccessor Map(CachedClip clip)
    {
        // The view keeps the mapping alive after the file handle and mapping object are closed.
        using var file = MemoryMappedFile.CreateFromFile(new FileStream(clip.CachePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete),
            null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
        var view = file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
        var pointer = Acquire(view);
        try
        {
            var mapped = (long)view.SafeMemoryMappedViewHandle.ByteLength - view.PointerOffset - CachedClip.HeaderBytes;
            if (mapped >= clip.DataBytes && clip.HasContent(pointer + CachedClip.HeaderBytes, clip.DataBytes)) return view;
        }
        finally
        {
            view.SafeMemoryMappedViewHandle.ReleasePointer();
        }
        view.Dispose();
        throw UserInputException.InFile(clip.CachePath,
            $"feature-cache entry of {clip.AudioPath} changed after it was checked (another process wrote into it); run the command again to recompute it");
    }

    /// <summary>The address of the view's first byte (the file's offset 0); release it with ReleasePointer.</summary>
    private static unsafe byte* Acquire(MemoryMappedViewAccessor view)
    {
        byte* pointer = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        return pointer + view.PointerOffset;
    }

    public void Dispose()
    {
        foreach (var view in views.Values)
            if (view.IsValueCreated) view.Value.Dispose();
        views.Clear();
    }
}
