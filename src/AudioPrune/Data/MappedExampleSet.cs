using System.Collections.Concurrent;
using System.IO.MemoryMappedFiles;
using AudioPrune.Audio;
using AudioPrune.Graph;

namespace AudioPrune.Data;

/// <summary>
/// An <see cref="IExampleSet"/> over feature-cache entries, memory-mapped (each entry mapped on first use)
/// and normalised as it is copied out. Safe for concurrent readers. Dispose to unmap.
/// </summary>
public sealed class MappedExampleSet : IExampleSet, IDisposable
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

    public unsafe void CopyFeatures(int index, Span<float> destination)
    {
        var (clip, example, _, _) = items[index];
        var view = views.GetOrAdd(clip.CachePath, p => new Lazy<MemoryMappedViewAccessor>(() => Map(p))).Value;
        var elements = clip.ExampleElements;
        byte* pointer = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        try
        {
            new ReadOnlySpan<float>(pointer + view.PointerOffset + clip.Offset(example), elements).CopyTo(destination);
        }
        finally
        {
            view.SafeMemoryMappedViewHandle.ReleasePointer();
        }
        normalization?.Apply(destination[..elements]);
    }

    /// <summary>Raw (un-normalised) examples, e.g. to compute normalisation statistics.</summary>
    public IEnumerable<float[]> RawExamples()
    {
        foreach (var item in items)
        {
            var buffer = new float[item.Clip.ExampleElements];
            using var stream = new FileStream(item.Clip.CachePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            stream.Position = item.Clip.Offset(item.Example);
            stream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(buffer.AsSpan()));
            yield return buffer;
        }
    }

    private static MemoryMappedViewAccessor Map(string path)
    {
        // The view keeps the mapping alive after the file handle and mapping object are closed.
        using var file = MemoryMappedFile.CreateFromFile(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete),
            null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
        return file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
    }

    public void Dispose()
    {
        foreach (var view in views.Values)
            if (view.IsValueCreated) view.Value.Dispose();
        views.Clear();
    }
}
