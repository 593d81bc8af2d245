using AudioPrune.Common;

namespace AudioPrune.Tests.Common;

/// <summary>A target the user named that cannot be written is reported against that name, with nothing left behind.</summary>
public sealed class AtomicFileTargetTests
{
    [Fact]
    public void AFolderAsTargetIsRefusedByName()
    {
        using var dir = new TempDirectory();
        var folder = dir.File("models");
        Directory.CreateDirectory(folder);
        var e = Assert.Throws<UserInputException>(() => AtomicFile.WriteAllText(folder, "x"));
        Assert.StartsWith($"{folder}: is a folder", e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(folder));
    }

    [Fact]
    public void AFileInThePathWhereAFolderShouldBeIsRefusedByName()
    {
        using var dir = new TempDirectory();
        var file = dir.File("model.safetensors");
        File.WriteAllText(file, "weights");
        var target = Path.Combine(file, "model.onnx");
        var e = Assert.Throws<UserInputException>(() => AtomicFile.WriteAllText(target, "x"));
        Assert.StartsWith($"{target}: cannot create its folder", e.Message);
        Assert.Equal("weights", File.ReadAllText(file));
    }

    [Fact]
    public void MissingFoldersAreCreated()
    {
        using var dir = new TempDirectory();
        var target = Path.Combine(dir.Path, "a", "b", "out.txt");
        AtomicFile.WriteAllText(target, "x");
        Assert.Equal("x", File.ReadAllText(target));
        Assert.Single(Directory.GetFileSystemEntries(Path.GetDirectoryName(target)!));
    }
}
