namespace AudioPrune.Tests.Hostile;

/// <summary>
/// The hostile-input suite: each case runs the real program as a child process on files made to break it (aliases,
/// special files, links, loops, declared sizes, depth, non-finite values, concurrency) and asserts its exit code,
/// its one-line error, its time and peak memory, and that no file outside the intended outputs changed. Its cases
/// run one at a time so that their time and memory are their own.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HostileCollection
{
    public const string Name = "hostile";
}
