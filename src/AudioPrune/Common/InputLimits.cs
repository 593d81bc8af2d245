namespace AudioPrune.Common;

/// <summary>
/// The limits every reader applies to what an untrusted file declares, in one place (the README's Reliability
/// section lists them). A file beyond a limit is refused with a one-line error before anything is allocated.
/// </summary>
public static class InputLimits
{
    /// <summary>Deepest nesting of lists and mappings in a YAML or JSON file.</summary>
    public const int MaxNestingDepth = 64;

    /// <summary>Largest CSV table (a manifest, a dataset's metadata) read whole: 256 MiB, a few million rows.</summary>
    public const long MaxTableBytes = 256L << 20;
}
