namespace AudioPrune.Common;

/// <summary>
/// The limits every reader applies to what an untrusted file declares, in one place (the README's Reliability
/// section lists them). A file beyond a limit is refused with a one-line error before anything is allocated.
/// </summary>
public static class InputLimits
{
    /// <summary>Deepest nesting of lists and mappings in a YAML or JSON file.</summary>
    public const int MaxNestingDepth = 64;

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
}
