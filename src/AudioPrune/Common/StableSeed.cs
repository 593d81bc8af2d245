namespace AudioPrune.Common;

/// <summary>
/// Derives seeds from several integers, the same in every process. (HashCode.Combine is randomised per process,
/// so seeds built with it make "seeded" data differ from one run to the next.)
/// </summary>
internal static class StableSeed
{
    /// <summary>SplitMix64 finaliser over (seed, stream, index): nearby inputs give unrelated non-negative seeds.</summary>
    public static int Mix(int seed, ulong stream, int index)
    {
        var z = unchecked((ulong)(uint)seed * 0x9E3779B97F4A7C15UL + stream * 0xBF58476D1CE4E5B9UL + (ulong)(uint)index * 0x94D049BB133111EBUL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (int)(z & 0x7FFFFFFF);
    }
}
