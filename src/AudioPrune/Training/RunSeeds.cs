namespace AudioPrune.Training;

/// <summary>
/// Per-epoch seeds derived from the run seed, so every epoch's randomness depends only on (seed, epoch):
/// a resumed run replays exactly what an uninterrupted one would have drawn. Separate streams keep the data
/// order unchanged when augmentation is switched on or off.
/// </summary>
internal static class RunSeeds
{
    private const ulong ShuffleStream = 1;
    private const ulong AugmentStream = 2;

    public static Random Shuffle(int seed, int epoch) => new(Mix(seed, ShuffleStream, epoch));

    public static Random Augment(int seed, int epoch) => new(Mix(seed, AugmentStream, epoch));

    /// <summary>torch's generator drives dropout: re-seeded at the start of each epoch.</summary>
    public static long Torch(int seed, int epoch) => seed * 1000L + epoch;

    /// <summary>SplitMix64 finaliser over (seed, stream, epoch): nearby inputs give unrelated seeds.</summary>
    private static int Mix(int seed, ulong stream, int epoch)
    {
        var z = unchecked((ulong)(uint)seed * 0x9E3779B97F4A7C15UL + stream * 0xBF58476D1CE4E5B9UL + (ulong)(uint)epoch * 0x94D049BB133111EBUL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (int)(z & 0x7FFFFFFF);
    }
}
