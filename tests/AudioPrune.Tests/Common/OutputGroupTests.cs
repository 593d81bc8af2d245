using AudioPrune.Common;

namespace AudioPrune.Tests.Common;

/// <summary>Several outputs are written all together or not at all; write errors name the user's path.</summary>
public sealed class OutputGroupTests
{
    [Fact]
    public void NothingAppearsUntilTheGroupCommits()
    {
        using var dir = new TempDirectory();
        using (var group = OutputGroup.Begin())
        {
            AtomicFile.WriteAllText(dir.File("a.txt"), "a");
            AtomicFile.WriteAllText(dir.File("b.txt"), "b");
            Assert.False(File.Exists(dir.File("a.txt")));
            group.Commit();
        }
        Assert.Equal("a", File.ReadAllText(dir.File("a.txt")));
        Assert.Equal("b", File.ReadAllText(dir.File("b.txt")));
        Assert.Equal(2, Directory.GetFileSystemEntries(dir.Path).Length);
    }

    [Fact]
    public void AGroupLeftWithoutCommitWritesNothingAndLeavesNoTemporaryFile()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("a.txt"), "old");
        var e = Assert.Throws<UserInputException>(() =>
        {
            using var group = OutputGroup.Begin();
            AtomicFile.WriteAllText(dir.File("a.txt"), "new");
            AtomicFile.Write(dir.File("b.txt"), _ => throw new IOException("No space left on device"));
            group.Commit();
        });
        Assert.Equal($"{dir.File("b.txt")}: cannot write the file: No space left on device", e.Message);
        Assert.Equal("old", File.ReadAllText(dir.File("a.txt")));
        Assert.Single(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void WritesAfterTheGroupEndsAreImmediateAgain()
    {
        using var dir = new TempDirectory();
        using (OutputGroup.Begin()) AtomicFile.WriteAllText(dir.File("dropped.txt"), "x");
        AtomicFile.WriteAllText(dir.File("kept.txt"), "y");
        Assert.False(File.Exists(dir.File("dropped.txt")));
        Assert.Equal("y", File.ReadAllText(dir.File("kept.txt")));
    }

    [Fact]
    public void OneFileWrittenTwiceInAGroupIsRefused()
    {
        using var dir = new TempDirectory();
        using var group = OutputGroup.Begin();
        AtomicFile.WriteAllText(dir.File("a.txt"), "1");
        var e = Assert.Throws<UserInputException>(() => AtomicFile.WriteAllText(dir.File("./a.txt"), "2"));
        Assert.Contains("written twice", e.Message);
    }

    [Fact]
    public void AWriteToALinkReplacesTheLinkAndKeepsItsTarget()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("real.txt"), "old");
        File.CreateSymbolicLink(dir.File("link.txt"), "real.txt");
        AtomicFile.WriteAllText(dir.File("link.txt"), "new");
        Assert.Equal("old", File.ReadAllText(dir.File("real.txt")));
        Assert.Equal(FileKind.Regular, FileEntry.KindOf(dir.File("link.txt"), followLinks: false));
        Assert.Equal("new", File.ReadAllText(dir.File("link.txt")));
    }
}
