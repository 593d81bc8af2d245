using AudioPrune.Common;

namespace AudioPrune.Tests.Common;

/// <summary>File kinds, identities and real paths as the kernel reports them.</summary>
public sealed class FileEntryTests
{
    [Fact]
    public void KindsAreReportedWithAndWithoutFollowingLinks()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("f"), "x");
        File.CreateSymbolicLink(dir.File("l"), "f");
        File.CreateSymbolicLink(dir.File("dangling"), "nothing");
        Assert.Equal(FileKind.Regular, FileEntry.KindOf(dir.File("f")));
        Assert.Equal(FileKind.Regular, FileEntry.KindOf(dir.File("l")));
        Assert.Equal(FileKind.SymbolicLink, FileEntry.KindOf(dir.File("l"), followLinks: false));
        Assert.Equal(FileKind.Missing, FileEntry.KindOf(dir.File("dangling")));
        Assert.Equal(FileKind.Directory, FileEntry.KindOf(dir.Path));
        Assert.Equal(FileKind.CharacterDevice, FileEntry.KindOf("/dev/null"));
    }

    [Fact]
    public void RealPathsResolveEveryComponentAndKeepTheMissingRest()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("a/b"));
        Directory.CreateSymbolicLink(dir.File("up"), "a/b");
        var real = FileEntry.RealPath(dir.Path);
        Assert.Equal(Path.Combine(real, "a", "b"), FileEntry.RealPath(dir.File("up")));
        Assert.Equal(Path.Combine(real, "a", "b", "new", "file.txt"), FileEntry.RealPath(dir.File("up/new/file.txt")));
        Assert.Equal(Path.Combine(real, "a"), FileEntry.RealPath(dir.File("up/../a")));
    }

    [Fact]
    public void HardLinksShareAnIdentity()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("f"), "x");
        File.WriteAllText(dir.File("g"), "x");
        Hostile.HostileFiles.Run("ln", dir.File("f"), dir.File("h"));
        Assert.Equal(FileEntry.IdentityOf(dir.File("f")), FileEntry.IdentityOf(dir.File("h")));
        Assert.NotEqual(FileEntry.IdentityOf(dir.File("f")), FileEntry.IdentityOf(dir.File("g")));
        Assert.Null(FileEntry.IdentityOf(dir.File("none")));
    }
}
