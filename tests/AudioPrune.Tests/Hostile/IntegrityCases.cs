using System.Buffers.Binary;
using System.Text.Json.Nodes;
using AudioPrune.Audio;
using AudioPrune.Data;
using AudioPrune.Graph;

namespace AudioPrune.Tests.Hostile;

/// <summary>
/// Family: what the program stored itself, damaged or forged. A damaged feature-cache entry is reported and recomputed:
/// the command succeeds with exactly a clean run's weights. A damaged or forged checkpoint is refused naming it.
/// A resume that asks for other settings than the run's is refused naming the setting and both values.
/// </summary>
[Collection(HostileCollection.Name)]
[Trait("Category", "Slow")]
public sealed class IntegrityCases
{
    private static readonly string[] RunOutputs =
        ["m.safetensors", "m.safetensors.run", "m.safetensors.run/checkpoint.bin", "m.safetensors.run/best.safetensors", "m.safetensors.run/training_log.csv"];

    public static TheoryData<string> EntryDamage => ["flipped example byte", "flipped header byte", "flipped stamp byte", "truncated", "zero length", "extended", "another clip's entry", "a link to another clip's entry"];

    [Theory]
    [MemberData(nameof(EntryDamage))]
    public void ADamagedCacheEntryIsReportedRecomputedAndNeverUsed(string damage)
    {
        using var scene = new TrainingScene();
        var run = TrainOverADamagedEntry(scene, entry => Damage(entry, damage, scene.Entry(1)));
        var entry = scene.FirstEntry;
        var warning = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(entry, warning);
        Assert.Contains("damaged feature-cache entry of", warning);
        Assert.Contains(Path.Combine(scene.File("data"), "audio"), warning);
    }

    [Fact]
    public void AnEntryMadeWithOtherFrontEndSettingsIsRecomputed()
    {
        using var scene = new TrainingScene();
        var run = TrainOverADamagedEntry(scene, entry =>
        {
            var audio = Directory.GetFiles(scene.File("data/audio"), "*.wav").Order(StringComparer.Ordinal).First();
            // Same example shape, other settings: only the stamp tells it apart.
            var foreign = new FeatureCache(scene.File("other-cache"), FrontEndSettings.Dcase2021 with { LogEpsilon = 1e-3 }).GetOrCompute(audio, out _);
            File.Copy(foreign.CachePath, entry, overwrite: true);
        });
        Assert.Contains("another audio file or other front-end settings", run.Error);
    }

    [Fact]
    public void AnEntryWithoutAChecksumIsStaleAndRecomputedSilently()
    {
        using var scene = new TrainingScene();
        var run = TrainOverADamagedEntry(scene, entry =>
        {
            var bytes = File.ReadAllBytes(entry);
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), 1); // the version before checksums
            File.WriteAllBytes(entry, bytes);
        });
        Assert.Equal("", run.Error);
    }

    [Fact]
    public void AFolderInPlaceOfACacheEntryIsRefusedNamingIt()
    {
        using var scene = new TrainingScene();
        scene.TrainInProcess("clean.safetensors");
        var entry = scene.FirstEntry;
        File.Delete(entry);
        Directory.CreateDirectory(entry);
        HostileRun.Start(scene.Path, TrainingScene.Train("m.safetensors", TrainingScene.Recipe(1))).Refused(Path.GetFileName(entry), "is a folder");
    }

    public static TheoryData<string> CheckpointDamage => ["flipped tensor byte", "flipped state byte", "truncated", "zero length", "extended", "checksum removed"];

    [Theory]
    [MemberData(nameof(CheckpointDamage))]
    public void ADamagedCheckpointIsRefused(string damage) =>
        ResumeIsRefusedAfter(scene => DamageCheckpoint(scene.Checkpoint, damage), "m.safetensors.run/checkpoint.bin", "damaged");

    [Fact]
    public void ACheckpointWithANaNTensorIsRefusedEvenWithAMatchingChecksum() =>
        // The last four bytes of the content are the last value of the best weights.
        ResumeIsRefusedAfter(scene => CheckpointForgery.EditContent(scene.Checkpoint, content => BitConverter.GetBytes(float.NaN).CopyTo(content, content.Length - 4)),
            "checkpoint.bin", "non-finite");

    [Fact]
    public void ACheckpointWithAChangedTensorShapeIsRefusedEvenWithAMatchingChecksum() =>
        ResumeIsRefusedAfter(scene =>
        {
            var best = ModelArtifact.Load(Path.Combine(scene.RunFolder, "best.safetensors")).Weights;
            var name = best.Names.First(n => best[n].Shape.Length == 4 && best[n].Shape[0] != best[n].Shape[1]);
            CheckpointForgery.EditContent(scene.Checkpoint, content => SwapFirstTwoDimensions(content, name));
        }, "checkpoint.bin", "weights do not match graph");

    public static TheoryData<string, string, string> ForgedStates => new()
    {
        { "\"kind\": \"Adam\"", "\"kind\": \"Sgd\"", "damaged or incompatible" },
        { "\"epochs\": 2", "\"epochs\": 0", "epochs must be at least 1" },
        { "\"best_epoch\": 1", "\"best_epoch\": 7", "progress is impossible" },
        { "\"threads\": 1,\n  \"data_fingerprint\"", "\"threads\": 0,\n  \"data_fingerprint\"", "state is impossible" },
    };

    [Theory]
    [MemberData(nameof(ForgedStates))]
    public void ACheckpointWithAnImpossibleStateIsRefusedEvenWithAMatchingChecksum(string find, string replace, string mentions) =>
        ResumeIsRefusedAfter(scene => CheckpointForgery.EditState(scene.Checkpoint, state =>
        {
            Assert.Contains(find, state);
            return state.Replace(find, replace);
        }), "checkpoint.bin", mentions);

    [Fact]
    public void ACheckpointOfAnotherNetworkShapeIsRefused() =>
        ResumeIsRefusedAfter(scene => CheckpointForgery.EditState(scene.Checkpoint, state =>
        {
            var root = JsonNode.Parse(state)!;
            var graph = JsonNode.Parse(root["graph_json"]!.GetValue<string>())!;
            var conv = graph["nodes"]!.AsArray().First(n => n!["out_channels"] is not null)!;
            conv["out_channels"] = conv["out_channels"]!.GetValue<int>() + 1;
            root["graph_json"] = graph.ToJsonString();
            return root.ToJsonString();
        }), "checkpoint.bin");

    public static TheoryData<string, string, string> ChangedSettings => new()
    {
        { "--seed", "4", "3" },
        { "--epochs", "5", "2" },
        { "--lr", "0.01", "0.001" },
        { "--batch-size", "8", "4" },
        { "--optimizer", "sgd", "adam" },
        { "--schedule", "cosine", "constant" },
        { "--mixup", "0.2", "0" },
        { "--patience", "3", "none" },
        { "--select", "loss", "accuracy" },
        { "--threads", "2", "1" },
    };

    [Theory]
    [MemberData(nameof(ChangedSettings))]
    public void AResumeWithAChangedSettingIsRefusedNamingBothValues(string flag, string value, string runs) =>
        ResumeIsRefusedAfter(_ => { }, [flag, value], "m.safetensors.run", $"{flag} {value} differs from the run's own {runs}");

    [Fact]
    public void AResumeWithSpecAugmentOnARunWithoutItIsRefused() =>
        ResumeIsRefusedAfter(_ => { }, ["--spec-augment"], "--spec-augment on differs from the run's own off");

    [Fact]
    public void AResumeWithAnotherModelIsRefusedNamingBoth()
    {
        using var scene = new TrainingScene();
        scene.Interrupted();
        HostileRun.Start(scene.Path, ["train", "--model", "cnn6", "--data", "data", "--out", "m.safetensors", "--cache", "cache", "--resume"])
            .Refused("m.safetensors.run", "'dcase21'", "'cnn6'");
    }

    [Fact]
    public void AResumeWithoutSettingsContinuesWithTheRunsOwnAndReachesTheUninterruptedWeights()
    {
        using var scene = new TrainingScene();
        scene.Interrupted();
        var uninterrupted = scene.UninterruptedWeights();

        var run = HostileRun.Start(scene.Path, TrainingScene.Train("m.safetensors", "--resume")).Succeeded(RunOutputs);

        Assert.Equal(uninterrupted, scene.WeightsOf("m.safetensors"));
        var said = Assert.Single(run.Output.Split('\n'), l => l.StartsWith("resuming with the run's own settings: ", StringComparison.Ordinal));
        Assert.Contains("seed 3, epochs 2, lr 0.001, batch-size 4", said);
        Assert.Contains("epoch 2/2", run.Output);
        Assert.DoesNotContain("epoch 1/2", run.Output);
    }

    [Fact]
    public void AResumeThatRepeatsTheRunsOwnSettingsContinuesAndListsOnlyTheOthers()
    {
        using var scene = new TrainingScene();
        scene.Interrupted();
        var run = HostileRun.Start(scene.Path, TrainingScene.Train("m.safetensors", ["--resume", .. TrainingScene.Recipe(2)])).Succeeded(RunOutputs);
        var said = Assert.Single(run.Output.Split('\n'), l => l.StartsWith("resuming with the run's own settings: ", StringComparison.Ordinal));
        Assert.DoesNotContain("seed", said);
        Assert.DoesNotContain("batch-size", said);
        Assert.Contains("optimizer adam", said);
    }

    public static TheoryData<string, string, string> ChangedFinetuneSettings => new()
    {
        { "--fraction", "0.5", "1" },
        { "--init", "random", "pruned" },
    };

    [Theory]
    [MemberData(nameof(ChangedFinetuneSettings))]
    public void AFinetuneResumeWithAChangedSettingIsRefused(string flag, string value, string runs)
    {
        using var scene = new TrainingScene();
        Finetuned(scene);
        HostileRun.Start(scene.Path, Finetune("--resume", flag, value)).Refused("f.safetensors.run", $"{flag} {value} differs from the run's own {runs}");
    }

    [Fact]
    public void AFinetuneResumeOfAFinishedRunSavesItAgainWithTheRunsOwnSettings()
    {
        using var scene = new TrainingScene();
        Finetuned(scene);
        var before = scene.WeightsOf("f.safetensors");
        var run = HostileRun.Start(scene.Path, Finetune("--resume")).Succeeded("f.safetensors", "f.safetensors.run/best.safetensors");
        Assert.Equal(before, scene.WeightsOf("f.safetensors"));
        Assert.Contains("resuming with the run's own settings: seed 3, epochs 1, lr 0.001, batch-size 4", run.Output);
        Assert.Contains("fraction 1, init pruned", run.Output);
    }

    /// <summary>base.safetensors trained, then fine-tuned for one epoch into f.safetensors (run folder f.safetensors.run).</summary>
    private static void Finetuned(TrainingScene scene)
    {
        scene.TrainInProcess("base.safetensors");
        var result = CliRunner.Run(["finetune", scene.File("base.safetensors"), "--data", scene.File("data"), "--out", scene.File("f.safetensors"),
            "--cache", scene.File("cache"), .. TrainingScene.Recipe(1)]);
        Assert.True(result.ExitCode == 0, result.Error);
    }

    private static string[] Finetune(params string[] more) =>
        ["finetune", "base.safetensors", "--data", "data", "--out", "f.safetensors", "--cache", "cache", .. more];

    /// <summary>
    /// Trains once in-process (filling the cache), damages the first entry, then trains the same in a child: it must
    /// succeed, rewrite only its outputs and that entry, and reach exactly the clean run's weights.
    /// </summary>
    private static HostileRun TrainOverADamagedEntry(TrainingScene scene, Action<string> damage)
    {
        scene.TrainInProcess("clean.safetensors");
        damage(scene.FirstEntry);
        var run = HostileRun.Start(scene.Path, TrainingScene.Train("m.safetensors", TrainingScene.Recipe(1)))
            .Succeeded([.. RunOutputs, scene.Relative(scene.FirstEntry)]);
        Assert.Equal(scene.WeightsOf("clean.safetensors"), scene.WeightsOf("m.safetensors"));
        return run;
    }

    /// <summary>Interrupts a run, lets <paramref name="forge"/> tamper with it, then resumes it (with <paramref name="more"/>): refused with <paramref name="mentions"/>.</summary>
    private static void ResumeIsRefusedAfter(Action<TrainingScene> forge, string[] more, params string[] mentions)
    {
        using var scene = new TrainingScene();
        scene.Interrupted();
        forge(scene);
        HostileRun.Start(scene.Path, TrainingScene.Train("m.safetensors", ["--resume", .. more])).Refused(mentions);
    }

    private static void ResumeIsRefusedAfter(Action<TrainingScene> forge, params string[] mentions) => ResumeIsRefusedAfter(forge, [], mentions);

    private static void Damage(string entry, string damage, string otherEntry)
    {
        var bytes = File.ReadAllBytes(entry);
        switch (damage)
        {
            case "flipped example byte": bytes[CachedClip.HeaderBytes + (bytes.Length - CachedClip.HeaderBytes) / 2] ^= 0x10; break;
            case "flipped header byte": bytes[17] ^= 0x01; break;
            case "flipped stamp byte": bytes[33] ^= 0x80; break;
            case "truncated": bytes = bytes[..^100]; break;
            case "zero length": bytes = []; break;
            case "extended": bytes = [.. bytes, .. new byte[400]]; break;
            case "another clip's entry": bytes = File.ReadAllBytes(otherEntry); break;
            case "a link to another clip's entry":
                // Replaced, not written through: the other entry must stay as it is.
                File.Delete(entry);
                File.CreateSymbolicLink(entry, otherEntry);
                return;
            default: throw new ArgumentOutOfRangeException(nameof(damage));
        }
        File.WriteAllBytes(entry, bytes);
    }

    private static void DamageCheckpoint(string path, string damage)
    {
        var bytes = File.ReadAllBytes(path);
        switch (damage)
        {
            case "flipped tensor byte": bytes[bytes.Length * 3 / 4] ^= 0x04; break;
            case "flipped state byte": bytes[Array.IndexOf(bytes, (byte)'{') + 40] ^= 0x01; break;
            case "truncated": bytes = bytes[..(bytes.Length / 2)]; break;
            case "zero length": bytes = []; break;
            case "extended": bytes = [.. bytes, .. new byte[64]]; break;
            case "checksum removed": bytes = bytes[..^8]; break;
            default: throw new ArgumentOutOfRangeException(nameof(damage));
        }
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>Finds the best weights' record of <paramref name="name"/> (the last one in the file) and swaps its first two dimensions.</summary>
    private static void SwapFirstTwoDimensions(byte[] content, string name)
    {
        byte[] record = [(byte)name.Length, .. System.Text.Encoding.UTF8.GetBytes(name), 4, 0, 0, 0];
        var at = content.AsSpan().LastIndexOf(record) + record.Length;
        Assert.True(at >= record.Length, $"no record of {name}");
        var first = BinaryPrimitives.ReadInt32LittleEndian(content.AsSpan(at));
        var second = BinaryPrimitives.ReadInt32LittleEndian(content.AsSpan(at + 4));
        BinaryPrimitives.WriteInt32LittleEndian(content.AsSpan(at), second);
        BinaryPrimitives.WriteInt32LittleEndian(content.AsSpan(at + 4), first);
    }
}
