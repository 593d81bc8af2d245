using AudioPrune.Common;
using AudioPrune.Interop;
using AudioPrune.Tests.Reliability;

namespace AudioPrune.Tests.Hostile;

/// <summary>Families: outputs that alias inputs, outputs that are special files, and commands with several outputs.</summary>
[Collection(HostileCollection.Name)]
[Trait("Category", "Slow")]
public sealed class OutputCases
{
    private static TempDirectory WithModel()
    {
        var dir = new TempDirectory();
        ModelLoader.Load("dcase21").Save(dir.File("m.safetensors"));
        return dir;
    }

    public static TheoryData<string[], string> InputAsOutput => new()
    {
        { ["prune", "m.safetensors", "--method", "l1", "--ratio", "0.5", "--out", "m.safetensors"], "--out" },
        { ["prune", "m.safetensors", "--method", "l1", "--ratio", "0.5", "--out", "./sub/../m.safetensors"], "--out" },
        { ["prune", "m.safetensors", "--method", "l1", "--ratio", "0.5", "--out", "p.safetensors", "--plan", "m.safetensors"], "--plan" },
        { ["prune", "m.safetensors", "--method", "l1", "--ratio", "0.5", "--out", "p.safetensors", "--json", "m.safetensors"], "--json" },
        { ["export", "m.safetensors", "--safetensors", "m.safetensors"], "--safetensors" },
        { ["export", "m.safetensors", "--graph-json", "m.safetensors"], "--graph-json" },
        { ["export", "m.safetensors", "--onnx", "m.safetensors"], "--onnx" },
        { ["export", "m.safetensors", "--pytorch", "m.safetensors"], "--pytorch" },
        { ["inspect", "m.safetensors", "--json", "m.safetensors"], "--json" },
        { ["import", "m.safetensors", "--graph", "dcase21", "--out", "m.safetensors"], "--out" },
        { ["bench", "p2.safetensors", "--parent", "m.safetensors", "--json", "m.safetensors"], "--json" },
        { ["finetune", "m.safetensors", "--data", "sub", "--out", "m.safetensors"], "--out" },
        { ["train", "--model", "m.safetensors", "--data", "sub", "--out", "./m.safetensors"], "--out" },
    };

    [Theory]
    [MemberData(nameof(InputAsOutput))]
    public void AnOutputThatIsAnInputIsRefused(string[] args, string option)
    {
        using var dir = WithModel();
        File.Copy(dir.File("m.safetensors"), dir.File("p2.safetensors"));
        Directory.CreateDirectory(dir.File("sub"));
        HostileRun.Start(dir.Path, args).Refused(option, "same file", "m.safetensors");
    }

    [Fact]
    public void AnOutputThatLinksToTheInputIsRefused()
    {
        using var dir = WithModel();
        File.CreateSymbolicLink(dir.File("link.safetensors"), "m.safetensors");
        HostileRun.Start(dir.Path, ["prune", "m.safetensors", "--method", "l1", "--ratio", "0.5", "--out", "link.safetensors"])
            .Refused("link.safetensors", "same file");
    }

    [Fact]
    public void AnOutputInALinkedFolderThatIsTheInputIsRefused()
    {
        using var dir = WithModel();
        Directory.CreateSymbolicLink(dir.File("alias"), ".");
        HostileRun.Start(dir.Path, ["export", "m.safetensors", "--graph-json", "alias/m.safetensors"]).Refused("alias/m.safetensors", "same file");
    }

    [Fact]
    public void AHardLinkToTheInputIsRefused()
    {
        using var dir = WithModel();
        HostileFiles.Run("ln", dir.File("m.safetensors"), dir.File("hard.safetensors"));
        HostileRun.Start(dir.Path, ["export", "m.safetensors", "--safetensors", "hard.safetensors"]).Refused("hard.safetensors", "same file");
    }

    [Fact]
    public void TwoOutputsNamingOneFileAreRefused()
    {
        using var dir = WithModel();
        HostileRun.Start(dir.Path, ["export", "m.safetensors", "--onnx", "x.out", "--pytorch", "x.out"]).Refused("x.out", "same file");
    }

    [Fact]
    public void AnOutputOverAFileOfTheDatasetIsRefused()
    {
        using var dir = WithModel();
        Directory.CreateDirectory(dir.File("data"));
        File.WriteAllText(dir.File("data/manifest.csv"), "filename,label\n");
        HostileRun.Start(dir.Path, ["evaluate", "m.safetensors", "--data", "data", "--json", "data/manifest.csv"])
            .Refused("data/manifest.csv", "inside", "--data data");
    }

    public static TheoryData<string, string[]> SpecialTargets => new()
    {
        { "fifo", ["inspect", "dcase21", "--json", "target"] },
        { "fifo", ["prune", "dcase21", "--method", "l1", "--ratio", "0.5", "--out", "p.safetensors", "--plan", "target"] },
        { "fifo", ["export", "dcase21", "--onnx", "target"] },
        { "socket", ["inspect", "dcase21", "--json", "target"] },
        { "device", ["inspect", "dcase21", "--json", "target"] },
        { "device", ["export", "dcase21", "--pytorch", "target"] },
        { "folder", ["export", "dcase21", "--graph-json", "target"] },
        { "file", ["synth", "target"] },
        { "file", ["quickstart", "--small", "--out", "target"] },
    };

    [Theory]
    [MemberData(nameof(SpecialTargets))]
    public void AnOutputThatIsNotARegularFileIsRefusedAndKept(string kind, string[] args)
    {
        using var dir = new TempDirectory();
        var target = dir.File("target");
        using var socket = kind == "socket" ? HostileFiles.MakeSocket(target) : null;
        switch (kind)
        {
            case "fifo": HostileFiles.MakeFifo(target); break;
            case "socket": break;
            case "device": HostileFiles.MakeNullDevice(target); break;
            case "folder": Directory.CreateDirectory(target); break;
            default: File.WriteAllText(target, "user data"); break;
        }
        HostileRun.Start(dir.Path, args).Refused("target");
        Assert.Equal(kind == "folder" ? FileKind.Directory : kind switch
        {
            "fifo" => FileKind.Fifo, "socket" => FileKind.Socket, "device" => FileKind.CharacterDevice, _ => FileKind.Regular,
        }, FileEntry.KindOf(target, followLinks: false));
    }

    [Fact]
    public void TheSystemNullDeviceIsNeverReplaced()
    {
        using var dir = new TempDirectory();
        HostileRun.Start(dir.Path, ["inspect", "dcase21", "--json", "/dev/null"], "/dev/null").Refused("/dev/null", "character device");
        Assert.Equal(FileKind.CharacterDevice, FileEntry.KindOf("/dev/null"));
    }

    [Fact]
    public void AnOutputThatIsALinkIsReplacedAndWhatItPointedToIsKept()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("precious.txt"), "user data");
        File.CreateSymbolicLink(dir.File("out.json"), "precious.txt");
        HostileRun.Start(dir.Path, ["inspect", "dcase21", "--json", "out.json"]).Succeeded("out.json");
        Assert.Equal(FileKind.Regular, FileEntry.KindOf(dir.File("out.json"), followLinks: false));
        Assert.Contains("\"layers\"", File.ReadAllText(dir.File("out.json")));
    }

    [Fact]
    public void AnExportThatFailsOnItsLastOutputWritesNoneOfThem()
    {
        using var dir = WithModel();
        File.WriteAllText(dir.File("plain"), "a file where a folder should be");
        HostileRun.Start(dir.Path, ["export", "m.safetensors", "--onnx", "a.onnx", "--safetensors", "w.safetensors", "--pytorch", "plain/x.pt"])
            .Refused("plain/x.pt", "cannot create its folder");
    }

    [Fact]
    public void APruneThatFailsOnItsLastOutputWritesNoneOfThem()
    {
        using var dir = WithModel();
        File.WriteAllText(dir.File("plain"), "a file where a folder should be");
        HostileRun.Start(dir.Path, ["prune", "m.safetensors", "--method", "l1", "--ratio", "0.5", "--out", "p.safetensors", "--plan", "plan.json", "--json", "plain/s.json"])
            .Refused("plain/s.json", "cannot create its folder");
    }

    [Fact]
    public void StaleTemporaryFilesOfDeadProcessesAreRemovedAndLiveOnesKept()
    {
        using var dir = new TempDirectory();
        var guid = Guid.NewGuid().ToString("N");
        var dead = dir.File($".m.safetensors.{int.MaxValue - 1}.{guid}{AtomicFile.TemporarySuffix}");
        var live = dir.File($".m.safetensors.1.{guid}{AtomicFile.TemporarySuffix}");
        var foreign = dir.File($".notes.{int.MaxValue - 1}.tmp");
        foreach (var file in new[] { dead, live, foreign }) File.WriteAllText(file, "partial");
        HostileRun.Start(dir.Path, ["inspect", "dcase21", "--json", "out.json"]).Succeeded("out.json", Path.GetFileName(dead));
        Assert.False(File.Exists(dead));
        Assert.True(File.Exists(live));
        Assert.True(File.Exists(foreign));
    }

    [Fact]
    public void AKilledExportLeavesOnlyATemporaryFileThatTheNextRunRemoves()
    {
        using var dir = new TempDirectory();
        using (var child = ChildCli.Start("export", "vggish", "--safetensors", dir.File("v.safetensors")))
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (Temporaries(dir).Length == 0 && !child.HasExited && DateTime.UtcNow < deadline) Thread.Sleep(5);
            Assert.False(child.HasExited, $"the export finished before it could be killed: {child.Output}");
            child.Kill();
        }
        var left = Path.GetFileName(Assert.Single(Temporaries(dir)));
        Assert.False(File.Exists(dir.File("v.safetensors")));
        HostileRun.Start(dir.Path, ["inspect", "dcase21", "--json", "out.json"]).Succeeded("out.json", left);
        Assert.Empty(Temporaries(dir));
    }

    private static string[] Temporaries(TempDirectory dir) => Directory.GetFiles(dir.Path, "*" + AtomicFile.TemporarySuffix);
}
