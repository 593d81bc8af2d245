using AudioPrune.Audio;

namespace AudioPrune.Tests.Hostile;

/// <summary>Family: datasets with symbolic links: loops, links out of the dataset, one file under two names.</summary>
[Collection(HostileCollection.Name)]
[Trait("Category", "Slow")]
public sealed class DatasetLinkCases
{
    /// <summary>A class-folder dataset: classes a and b with three one-second clips each.</summary>
    private static TempDirectory ClassFolders()
    {
        var dir = new TempDirectory();
        var random = new Random(3);
        foreach (var label in new[] { "a", "b" })
        {
            Directory.CreateDirectory(dir.File($"data/{label}"));
            for (var i = 0; i < 3; i++)
                WavWriter.WriteMono(dir.File($"data/{label}/{label}{i}.wav"), 16000, Enumerable.Range(0, 16000).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray());
        }
        return dir;
    }

    private static HostileRun Features(TempDirectory dir, string data = "data") =>
        HostileRun.Start(dir.Path, ["features", data, "--cache", "cache"]);

    [Fact]
    public void ALoopOfFolderLinksIsWalkedOnce()
    {
        using var dir = ClassFolders();
        Directory.CreateSymbolicLink(dir.File("data/a/again"), ".");
        Directory.CreateDirectory(dir.File("data/b/sub"));
        Directory.CreateSymbolicLink(dir.File("data/b/sub/up"), "..");
        var run = Features(dir).Succeeded("cache/");
        Assert.Contains("durations: 6 files", run.Output);
    }

    [Fact]
    public void AFolderLinkOutOfTheDatasetIsRefused()
    {
        using var dir = ClassFolders();
        Directory.CreateSymbolicLink(dir.File("data/a/root"), "/");
        Features(dir).Refused("data/a/root", "outside the dataset folder");
    }

    [Fact]
    public void AFileLinkOutOfTheDatasetIsRefused()
    {
        using var dir = ClassFolders();
        File.Copy(dir.File("data/a/a0.wav"), dir.File("outside.wav"));
        File.CreateSymbolicLink(dir.File("data/b/stolen.wav"), dir.File("outside.wav"));
        Features(dir).Refused("data/b/stolen.wav", "outside the dataset folder");
    }

    [Fact]
    public void AClassFolderThatLinksOutOfTheDatasetIsRefused()
    {
        using var dir = ClassFolders();
        Directory.CreateDirectory(dir.File("elsewhere"));
        File.Copy(dir.File("data/a/a0.wav"), dir.File("elsewhere/x.wav"));
        Directory.CreateSymbolicLink(dir.File("data/c"), dir.File("elsewhere"));
        Features(dir).Refused("data/c", "outside the dataset folder");
    }

    [Fact]
    public void OneFileUnderTwoClassesIsRefused()
    {
        using var dir = ClassFolders();
        File.CreateSymbolicLink(dir.File("data/b/copy.wav"), "../a/a1.wav");
        Features(dir).Refused("data/b/copy.wav", "same file", "one label");
    }

    [Fact]
    public void ALinkToAFileOfTheSameClassCountsOnce()
    {
        using var dir = ClassFolders();
        File.CreateSymbolicLink(dir.File("data/a/z.wav"), "a1.wav");
        var run = Features(dir).Succeeded("cache/");
        Assert.Contains("durations: 6 files", run.Output);
    }

    [Fact]
    public void ADatasetThatIsALinkItselfIsRead()
    {
        using var dir = ClassFolders();
        Directory.CreateSymbolicLink(dir.File("linked"), "data");
        var run = Features(dir, "linked").Succeeded("cache/");
        Assert.Contains("durations: 6 files", run.Output);
    }

    [Fact]
    public void AManifestRowThroughALinkToTheRootIsRefused()
    {
        using var dir = ClassFolders();
        Directory.CreateSymbolicLink(dir.File("data/sys"), "/");
        File.WriteAllText(dir.File("data/manifest.csv"), "filename,label\na/a0.wav,a\nsys/etc/hostname,b\n");
        Features(dir).Refused("manifest.csv", "line 3", "outside the dataset root");
    }

    [Fact]
    public void AManifestListingOneFileUnderTwoNamesIsRefused()
    {
        using var dir = ClassFolders();
        File.CreateSymbolicLink(dir.File("data/a/twin.wav"), "a0.wav");
        File.WriteAllText(dir.File("data/manifest.csv"), "filename,label,split\na/a0.wav,a,train\na/twin.wav,a,test\nb/b0.wav,b,train\n");
        Features(dir).Refused("'a/twin.wav'", "same file");
    }

    [Fact]
    public void AManifestThatIsAFifoIsRefused()
    {
        using var dir = ClassFolders();
        HostileFiles.MakeFifo(dir.File("data/manifest.csv"));
        Features(dir).Refused("manifest.csv", "FIFO");
    }
}
