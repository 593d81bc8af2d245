namespace AudioPrune.Common;

/// <summary>
/// The limits every reader applies to what an untrusted file declares, in one place (the README's Reliability
/// section lists them). A file beyond a limit is refused with a one-line error before anything is allocated.
/// </summary>
internal static class InputLimits
{
    /// <summary>Deepest nesting of lists and mappings in a YAML or JSON file.</summary>
    public const int MaxNestingDepth = 64;

    /// <summary>Largest CSV table (a manifest, a dataset's metadata) read whole: 256 MiB, a few million rows.</summary>
    public const long MaxTableBytes = 256L << 20;

    /// <summary>Most aliases (*name) a YAML config may use; a real study config uses a handful.</summary>
    public const int MaxYamlAliases = 256;

    /// <summary>
    /// Most nodes (values, lists, mappings) a YAML config may hold once every alias is expanded: an alias counts
    /// as the whole subtree it names, so a "billion laughs" bomb is refused after this many, not after 10^9.
    /// </summary>
    public const long MaxYamlExpandedNodes = 100_000;

    /// <summary>Largest study config (YAML or JSON) read, in bytes.</summary>
    public const long MaxConfigBytes = 1L << 20;

    /// <summary>Largest graph JSON file read, in bytes (CNN14's graph is about 10 KB).</summary>
    public const long MaxGraphJsonBytes = 16L << 20;

    /// <summary>Largest job result (a study job's result.json) read, in bytes: it holds a few dozen figures.</summary>
    public const long MaxJobResultBytes = 16L << 20;

    /// <summary>Largest plan.json read, in bytes (full distance matrices for CNN14's 2048-filter layers fit).</summary>
    public const long MaxPlanBytes = 512L << 20;

    /// <summary>
    /// Most entries in one list of a plan (kept or pruned filters): the widest layer a plan may describe.
    /// A plan with longer lists is refused before the model is loaded.
    /// </summary>
    public const int MaxPlanListEntries = 65_536;

    /// <summary>Most parameters a network may declare (CNN14 has 80.8 M, VGGish 55 M): 1 GB of float32 weights.</summary>
    public const long MaxGraphParameters = 250_000_000;

    /// <summary>Most bytes one layer's float32 output may take for one example (CNN14 at 10 s peaks near 16 MB): 512 MiB.</summary>
    public const long MaxActivationBytesPerExample = 512L << 20;

    /// <summary>
    /// Most bytes a filtered (compressed) HDF5 dataset may declare per byte of the file holding it; an unfiltered
    /// dataset may declare at most the file's size. Float weights rarely compress better than 4:1.
    /// </summary>
    public const int MaxCompressionRatio = 64;

    /// <summary>Lowest sample rate of an audio file, in Hz (below it no front end has anything to analyse).</summary>
    public const int MinSampleRate = 1_000;

    /// <summary>Highest sample rate of an audio file, in Hz (twice the highest rate studio recorders use).</summary>
    public const int MaxSampleRate = 384_000;

    /// <summary>
    /// Longest recording decoded whole, in seconds (10 minutes), for front ends that cut the whole recording into
    /// examples; a longer one is refused. Front ends that use a fixed-length clip decode only that clip's start.
    /// </summary>
    public const int MaxDecodedSeconds = 600;

    /// <summary>Largest compressed (OGG Vorbis) audio file, in bytes (256 MiB): it is checked page by page in memory.</summary>
    public const long MaxCompressedAudioBytes = 256L << 20;

    /// <summary>Most channels an OGG Vorbis stream may declare (Vorbis' own channel mappings stop at 8).</summary>
    public const int MaxOggChannels = 8;

    /// <summary>Most logical streams an OGG file may hold (a recording has one; chained files a few).</summary>
    public const int MaxOggStreams = 16;

    /// <summary>Largest ONNX model file read whole, in bytes (1 GiB: the parameter limit's float32 weights); external data files are read apart.</summary>
    public const long MaxOnnxModelBytes = 1L << 30;

    /// <summary>Most nodes an imported ONNX graph may have; PyTorch's export of a large CNN has a few thousand.</summary>
    public const int MaxOnnxNodes = 20_000;

    /// <summary>Most elements one ONNX tensor (initializer or constant) may declare: the parameter limit.</summary>
    public const long MaxOnnxTensorElements = MaxGraphParameters;
}
