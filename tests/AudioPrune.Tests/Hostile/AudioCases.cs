using AudioPrune.Audio;
using AudioPrune.Common;
using AudioPrune.Tests.Audio;
using AudioPrune.Tests.Data;

namespace AudioPrune.Tests.Hostile;

/// <summary>
/// Family: hostile audio files given to predict and features: special files where audio is read, sample rates and
/// durations meant to hang the resampler or fill memory, damaged OGG headers, non-finite samples, lying WAV headers.
/// </summary>
[Collection(HostileCollection.Name)]
[Trait("Category", "Slow")]
public sealed class AudioCases
{
    private static HostileRun Predict(TempDirectory dir, string audio) => HostileRun.Start(dir.Path, ["predict", "dcase21", "--audio", audio]);

    private static HostileRun PredictBytes(TempDirectory dir, string name, byte[] bytes)
    {
        File.WriteAllBytes(dir.File(name), bytes);
        return Predict(dir, name);
    }

    /// <summary>features on DATA (relative to the folder) with the cache in <paramref name="cache"/>, outside the watched folder.</summary>
    private static HostileRun Features(TempDirectory dir, TempDirectory cache, string data, params string[] extra) =>
        HostileRun.Start(dir.Path, ["features", data, "--cache", cache.Path, .. extra]);

    [Theory]
    [InlineData("fifo", "FIFO")]
    [InlineData("link-to-dev-zero", "character device")]
    [InlineData("folder", "is a folder")]
    public void ASpecialFileGivenAsAudioIsRefusedBeforeAnythingBlocks(string kind, string problem)
    {
        using var dir = new TempDirectory();
        var path = dir.File("x.wav");
        switch (kind)
        {
            case "fifo": HostileFiles.MakeFifo(path); break;
            case "link-to-dev-zero": File.CreateSymbolicLink(path, "/dev/zero"); break;
            default: Directory.CreateDirectory(path); break;
        }
        Predict(dir, "x.wav").Refused("x.wav", problem);
    }

    [Theory]
    [InlineData("class-folders", false)]
    [InlineData("class-folders", true)]
    [InlineData("manifest", false)]
    [InlineData("manifest", true)]
    public void AFifoInADatasetIsSkippedOrRefusedUnderStrict(string layout, bool strict)
    {
        using var dir = new TempDirectory();
        using var cache = new TempDirectory();
        var data = dir.File("data");
        if (layout == "manifest")
        {
            var manifest = DatasetFixtures.Manifest(data);
            File.AppendAllLines(manifest, ["clips/fifo.wav,a"]);
            HostileFiles.MakeFifo(Path.Combine(data, "clips", "fifo.wav"));
        }
        else
        {
            DatasetFixtures.ClassFolders(data);
            HostileFiles.MakeFifo(Path.Combine(data, "cow", "fifo.wav"));
        }
        if (strict)
        {
            Features(dir, cache, "data", "--strict").Refused("fifo.wav", "FIFO");
            return;
        }
        var run = Features(dir, cache, "data").Succeeded();
        Assert.Contains("skipped: 1 file(s)", run.Output);
        Assert.Contains("fifo.wav: is a FIFO", run.Output);
    }

    [Theory]
    [InlineData(1, 97_392)]
    [InlineData(7, 5_000)]
    [InlineData(100, 3_600_000)] // ten hours in 7 MB
    [InlineData(999, 5_000)]
    [InlineData(384_001, 5_000)]
    [InlineData(4_000_000, 5_000)]
    public void SampleRatesOutsideTheLimitsAreRefusedByRate(int rate, int samples)
    {
        using var dir = new TempDirectory();
        var bytes = AudioBytes.Patch(AudioBytes.Wav(16000, new float[samples]), AudioBytes.RateOffset, (uint)rate);
        PredictBytes(dir, "low.wav", bytes).Refused("low.wav", $"unsupported sample rate {rate} Hz");
    }

    [Theory]
    [InlineData(InputLimits.MinSampleRate)]
    [InlineData(InputLimits.MaxSampleRate)]
    public void SampleRatesAtTheLimitsAreAccepted(int rate)
    {
        using var dir = new TempDirectory();
        var run = PredictBytes(dir, "edge.wav", AudioBytes.Tone(rate, 2)).Succeeded();
        Assert.Contains("edge.wav (1 example):", run.Output);
    }

    [Fact]
    public void AnHourLongRecordingIsCroppedWhileReadingNotReadWhole()
    {
        using var dir = new TempDirectory();
        AudioBytes.WriteLongWav(dir.File("short.wav"), 8000, 10);
        AudioBytes.WriteLongWav(dir.File("hour.wav"), 8000, 3600);
        var fileBytes = new FileInfo(dir.File("hour.wav")).Length;
        var shortRun = Predict(dir, "short.wav").Succeeded();
        var longRun = Predict(dir, "hour.wav").Succeeded();
        Assert.Contains("hour.wav (1 example):", longRun.Output);
        // Reading it whole would hold its 57 MB as bytes and twice that as samples, before resampling to 44.1 kHz.
        Assert.True(longRun.PeakBytes < shortRun.PeakBytes + fileBytes / 2,
            $"peak {longRun.PeakBytes / 1048576} MiB for the hour, {shortRun.PeakBytes / 1048576} MiB for 10 s: the file was not streamed");
    }

    [Fact]
    public void AnHourLongRecordingInADatasetIsCroppedWhileReading()
    {
        using var dir = new TempDirectory();
        using var cache = new TempDirectory();
        var data = dir.File("data");
        DatasetFixtures.ClassFolders(data);
        AudioBytes.WriteLongWav(Path.Combine(data, "owl", "hour.wav"), 8000, 3600);
        var run = Features(dir, cache, "data", "--strict").Succeeded();
        Assert.Contains("skipped: 0 file(s)", run.Output);
        Assert.Contains("max 3600.00 s", run.Output);
        Assert.True(run.PeakBytes < 512L << 20, $"peak {run.PeakBytes / 1048576} MiB");
    }

    [Fact]
    public void TenHoursAtAValidRateAreCroppedForAClipAndRefusedWhereTheWholeRecordingIsUsed()
    {
        using var dir = new TempDirectory();
        using var cache = new TempDirectory();
        var data = dir.File("data");
        DatasetFixtures.ClassFolders(data);
        var rate = InputLimits.MinSampleRate;
        AudioBytes.WriteLongWav(Path.Combine(data, "cat", "ten-hours.wav"), rate, 36_000);
        Predict(dir, "data/cat/ten-hours.wav").Succeeded();
        Features(dir, cache, "data", "--preset", "vggish", "--strict").Refused("ten-hours.wav", "lasts 36000 s", "10 minutes");
    }

    [Theory]
    [InlineData(0xB3, "block size exponents 3 and 11")]
    [InlineData(0x0F, "block size exponents 15 and 0")]
    [InlineData(0x8B, "block size exponents 11 and 8")]
    public void AnOggWithABadBlockSizeByteAndARepairedChecksumIsRefused(byte value, string problem)
    {
        using var dir = new TempDirectory();
        var bytes = AudioBytes.Bell();
        bytes[AudioBytes.BellBlockSizes] = value;
        PredictBytes(dir, "bell.ogg", AudioBytes.Reseal(bytes)).Refused("bell.ogg", "identification header", problem);
    }

    [Fact]
    public void AnOggWithAZeroSampleRateInItsHeaderIsRefused()
    {
        using var dir = new TempDirectory();
        PredictBytes(dir, "bell.ogg", AudioBytes.Reseal(AudioBytes.Patch(AudioBytes.Bell(), AudioBytes.BellRate, 0))).Refused("bell.ogg", "sample rate 0 Hz");
    }

    [Fact]
    public void AnOggWhoseSecondStreamHasADamagedCommentHeaderIsRefused()
    {
        using var dir = new TempDirectory();
        PredictBytes(dir, "chained.ogg", AudioBytes.BellWithDamagedSecondStream()).Refused("chained.ogg", "comment header (stream 2)");
    }

    [Fact]
    public void AnOggWithTooManyLogicalStreamsIsRefused()
    {
        using var dir = new TempDirectory();
        var bytes = Enumerable.Range(1, InputLimits.MaxOggStreams + 1).SelectMany(i => AudioBytes.WithSerial(AudioBytes.Bell(), (uint)i)).ToArray();
        PredictBytes(dir, "many.ogg", bytes).Refused("many.ogg", $"more than {InputLimits.MaxOggStreams} logical streams");
    }

    [Theory]
    [InlineData(float.NaN, "NaN", false)]
    [InlineData(float.PositiveInfinity, "+Inf", false)]
    [InlineData(float.NaN, "NaN", true)]
    [InlineData(float.PositiveInfinity, "+Inf", true)]
    public void AFloatWavWithANonFiniteSampleIsRefused(float value, string shown, bool features)
    {
        using var dir = new TempDirectory();
        using var cache = new TempDirectory();
        var samples = TestSignals.Tone(16000, 1, 440);
        samples[1234] = value;
        var bytes = AudioBytes.Wav(16000, samples, SampleEncoding.Float, 32);
        if (!features)
        {
            PredictBytes(dir, "bad.wav", bytes).Refused("bad.wav", $"sample 1234 (frame 1234, channel 0) is {shown}");
            return;
        }
        var data = dir.File("data");
        DatasetFixtures.ClassFolders(data);
        File.WriteAllBytes(Path.Combine(data, "owl", "bad.wav"), bytes);
        Features(dir, cache, "data", "--strict").Refused("bad.wav", $"is {shown}");
    }

    public static TheoryData<string, string> LyingWavHeaders => new()
    {
        { "data-larger-than-file", "truncated: the data chunk declares" },
        { "data-size-4-gb", "truncated: the data chunk declares 4294967295 bytes" },
        { "fmt-size-4-gb", "truncated: chunk 'fmt ' declares 4294967295 bytes" },
        { "zero-channels", "0 channels" },
        { "riff-size-4-gb", "" },
    };

    [Theory]
    [MemberData(nameof(LyingWavHeaders))]
    public void AWavHeaderDeclaringWhatIsNotThereIsRefusedOrReadWithinBounds(string damage, string problem)
    {
        using var dir = new TempDirectory();
        var good = AudioBytes.Tone(16000, 1);
        var bytes = damage switch
        {
            "data-larger-than-file" => AudioBytes.Patch(good, AudioBytes.DataSizeOffset, (uint)good.Length * 2),
            "data-size-4-gb" => AudioBytes.Patch(good, AudioBytes.DataSizeOffset, uint.MaxValue),
            "fmt-size-4-gb" => AudioBytes.Patch(good, 16, uint.MaxValue),
            "zero-channels" => AudioBytes.Patch16(good, AudioBytes.ChannelsOffset, 0),
            "riff-size-4-gb" => AudioBytes.Patch(good, 4, uint.MaxValue),
            _ => throw new ArgumentException(damage),
        };
        var run = PredictBytes(dir, "lies.wav", bytes);
        if (problem.Length == 0) run.Succeeded(); // only the chunks present are read
        else run.Refused("lies.wav", problem);
    }

    [Fact]
    public void AWavWithTheMostChannelsAFormatHeaderAllowsIsDownmixedWithinBounds()
    {
        using var dir = new TempDirectory();
        const ushort channels = ushort.MaxValue; // 8-bit: the largest block align a header can declare
        var mono = AudioBytes.Wav(16000, new float[channels * 20], bits: 8); // 20 frames of 65,535 channels
        var bytes = AudioBytes.Patch16(AudioBytes.Patch16(mono, AudioBytes.ChannelsOffset, channels), 32, channels);
        var run = PredictBytes(dir, "wide.wav", bytes).Succeeded();
        Assert.Contains("wide.wav (1 example):", run.Output);
    }
}
