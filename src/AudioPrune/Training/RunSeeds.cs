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

    private static int Mix(int seed, ulong stream, int epoch) => Common.StableSeed.Mix(seed, stream, epoch);
}
