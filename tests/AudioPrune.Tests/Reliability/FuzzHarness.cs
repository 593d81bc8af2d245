namespace AudioPrune.Tests.Reliability;

/// <summary>
/// Runs seeded mutations of valid files through a reader: every case must either give a valid result or a
/// <see cref="global::AudioPrune.UserInputException"/>; any other exception, or an allocation above the
/// bound (measured on the test thread), fails the test with the case number, so a failure can be replayed.
/// </summary>
internal static class FuzzHarness
{
    public sealed record Outcome(int Loaded, int Refused);

    /// <param name="valid">Valid files; case i mutates valid[i % valid.Count].</param>
    /// <param name="attempt">Reads one mutated file (bytes, case number) and throws if the result is not valid.</param>
    public static Outcome Run(IReadOnlyList<byte[]> valid, int seed, int cases, long maxAllocatedBytes, Action<byte[], int> attempt)
    {
        var random = new Random(seed);
        int loaded = 0, refused = 0;
        for (var i = 0; i < cases; i++)
        {
            var mutated = FileMutator.Mutate(valid[i % valid.Count], random);
            var before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                attempt(mutated, i);
                loaded++;
            }
            catch (global::AudioPrune.UserInputException)
            {
                refused++;
            }
            catch (Exception e)
            {
                Assert.Fail($"seed {seed}, case {i}: {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
            }
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated < maxAllocatedBytes, $"seed {seed}, case {i} allocated {allocated} bytes (bound {maxAllocatedBytes})");
        }
        Assert.Equal(cases, loaded + refused);
        return new Outcome(loaded, refused);
    }
}
