using AudioPrune.Common;

namespace AudioPrune.Tests.Common;

public sealed class FileLockTests
{
    [Fact]
    public void SecondHolderIsRefusedUntilTheFirstReleases()
    {
        using var dir = new TempDirectory();
        var path = dir.File("study.lock");
        using (var first = FileLock.TryAcquire(path))
        {
            Assert.NotNull(first);
            Assert.Null(FileLock.TryAcquire(path));
            var e = Assert.Throws<UserInputException>(() => FileLock.Acquire(path, TimeSpan.FromMilliseconds(100)));
            Assert.Contains("another process holds this lock", e.Message);
        }
        using var again = FileLock.TryAcquire(path);
        Assert.NotNull(again);
    }

    [Fact]
    public void AtomicWriteLeavesNoTemporaryFiles()
    {
        using var dir = new TempDirectory();
        var path = dir.File("out.txt");
        AtomicFile.WriteAllText(path, "one");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, s => { s.WriteByte(1); throw new InvalidOperationException("killed"); }));
        Assert.Equal("one", File.ReadAllText(path));   // the failed write did not touch the old file
        Assert.Single(Directory.GetFiles(dir.Path));
    }
}
