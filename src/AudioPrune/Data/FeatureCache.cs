using System.Security.Cryptography;
using System.Text;
using AudioPrune.Audio;
using AudioPrune.Common;

namespace AudioPrune.Data;

/// <summary>
/// Features computed once per (audio file, front-end settings). An entry's name hashes the file's full path,
/// size and modification time with the settings hash, so editing the audio or changing any setting makes a
/// new entry (the old one is simply no longer used). Each entry carries checksums of its content and of what
/// made it (<see cref="CachedClip"/>): a damaged one is reported and recomputed, never used. Entries are written with <see cref="AtomicFile"/>:
/// concurrent runs sharing a cache, or a run killed mid-write, never leave a partial entry behind.
/// Files that fail to decode get no entry.
/// </summary>
internal sealed class FeatureCache
{
    public FeatureCache(string directory, FrontEndSettings settings)
    {
        Settings = settings.Validate();
        Directory = Path.Combine(Path.GetFullPath(directory), settings.Hash);
        ExampleElements = (int)settings.ExampleShape.Elements;
    }

    /// <summary>The folder for these settings (one sub-folder per settings hash).</summary>
    public string Directory { get; }

    public FrontEndSettings Settings { get; }
    public int ExampleElements { get; }

    /// <summary>The default cache folder: $XDG_CACHE_HOME/audioprune/features, else ~/.cache/audioprune/features.</summary>
    public static string DefaultDirectory()
    {
        var root = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (string.IsNullOrEmpty(root)) root = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(root, "audioprune", "features");
    }

    public string EntryPath(string audioPath) => Locate(audioPath).Path;

    /// <summary>
    /// The entry's path and stamp. The path hashes the file's full path, size and modification time with the settings
    /// hash; the stamp, stored in the entry, hashes the same file identity with the settings in full.
    /// </summary>
    private (string Path, ulong Stamp) Locate(string audioPath)
    {
        var info = new FileInfo(audioPath);
        var source = $"{info.FullName}|{info.Length}|{info.LastWriteTimeUtc.Ticks}";
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{source}|{Settings.Hash}")))[..32];
        return (System.IO.Path.Combine(Directory, key[..2], key + ".f32"), CachedClip.Stamp($"{source}|{Settings.ToJson()}"));
    }

    /// <summary>
    /// The cached features of <paramref name="audioPath"/>, computing and storing them first if needed. An entry that is
    /// damaged (its checksums, length or stamp do not match) is reported once to <paramref name="warn"/> and recomputed,
    /// never used. A file that cannot be decoded throws <see cref="UserInputException"/> and leaves nothing in the cache;
    /// an entry that cannot be written throws <see cref="FeatureCacheException"/>.
    /// </summary>
    public CachedClip GetOrCompute(string audioPath, out bool computed, Action<string>? warn = null)
    {
        InputFile.Check(audioPath, AudioDecoder.Noun);
        var (path, stamp) = Locate(audioPath);
        if (System.IO.Directory.Exists(path)) throw new FeatureCacheException($"{path}: the feature-cache entry of {audioPath} is a folder; remove it");
        var (existing, damage) = CachedClip.Open(path, audioPath, ExampleElements, stamp);
        computed = existing is null;
        if (existing is not null) return existing;
        if (damage is not null) warn?.Invoke($"{path}: damaged feature-cache entry of {audioPath}: {damage}; recomputing it");
        var signal = AudioDecoder.Read(audioPath, AudioReadOptions.For(Settings));
        var examples = FeaturePipeline.Examples(signal, Settings);
        if (examples.Length == 0) throw UserInputException.InFile(audioPath, "gives no examples (too short for one segment)");
        try
        {
            AtomicFile.Write(path, stream => CachedClip.Write(stream, examples, ExampleElements, signal.DurationSeconds, signal.SampleRate, signal.SourceChannels, stamp));
        }
        catch (UserInputException e)
        {
            // The cache's fault, not the audio's: the file must not be skipped as if it could not be decoded.
            throw new FeatureCacheException(e.Message, e);
        }
        return CachedClip.Open(path, audioPath, ExampleElements, stamp).Clip
               ?? throw new IOException($"{path}: the cache entry just written cannot be read back");
    }
}

/// <summary>The feature cache cannot store an entry (e.g. its path is taken by a folder): the data cannot be loaded, whatever the audio.</summary>
internal sealed class FeatureCacheException(string message, Exception? inner = null) : IOException(message, inner);
