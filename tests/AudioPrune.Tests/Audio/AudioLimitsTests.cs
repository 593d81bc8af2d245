using AudioPrune.Audio;
using AudioPrune.Common;

namespace AudioPrune.Tests.Audio;

/// <summary>The decoders' limits: sample rates, non-finite samples, how much of a recording is read, OGG header checks.</summary>
[Trait("Category", "Slow")]
public sealed class AudioLimitsTests
{
    [Theory]
    [InlineData(1, false)]
    [InlineData(7, false)]
    [InlineData(999, false)]
    [InlineData(1000, true)]
    [InlineData(384000, true)]
    [InlineData(384001, false)]
    public void Wav_sample_rates_outside_the_limits_are_refused_by_name_and_rate(int rate, bool accepted)
    {
        using var dir = new TempDirectory();
        var path = dir.File("a.wav");
        File.WriteAllBytes(path, AudioBytes.Patch(AudioBytes.Tone(16000, 0.05), AudioBytes.RateOffset, (uint)rate));
        if (accepted)
        {
            Assert.Equal(rate, AudioDecoder.Read(path).SampleRate);
            return;
        }
        var error = Assert.Throws<UserInputException>(() => AudioDecoder.Read(path));
        Assert.StartsWith(path + ": unsupported sample rate " + rate + " Hz", error.Message);
    }

    [Theory]
    [InlineData(32, float.NaN, "sample 37 (frame 18, channel 1) is NaN")]
    [InlineData(32, float.PositiveInfinity, "sample 37 (frame 18, channel 1) is +Inf")]
    [InlineData(64, float.NegativeInfinity, "sample 37 (frame 18, channel 1) is -Inf")]
    [InlineData(64, 1e300, "sample 37 (frame 18, channel 1) is +Inf")] // finite as a double, not as the float it becomes
    public void Non_finite_float_samples_are_refused_with_their_index(int bits, double value, string expected)
    {
        using var dir = new TempDirectory();
        var path = dir.File("a.wav");
        var left = new float[40];
        var right = new float[40];
        WavWriter.Write(path, 16000, [left, right], SampleEncoding.Float, bits);
        var bytes = File.ReadAllBytes(path);
        var at = AudioBytes.HeaderLength + 37 * (bits / 8);
        if (bits == 32) BitConverter.TryWriteBytes(bytes.AsSpan(at), (float)value);
        else BitConverter.TryWriteBytes(bytes.AsSpan(at), value);
        File.WriteAllBytes(path, bytes);
        var error = Assert.Throws<UserInputException>(() => AudioDecoder.Read(path));
        Assert.Equal($"{path}: {expected}; audio samples must be finite numbers", error.Message);
    }

    [Fact]
    public void A_clip_read_takes_only_the_start_and_reports_the_whole_duration()
    {
        using var dir = new TempDirectory();
        var path = dir.File("long.wav");
        File.WriteAllBytes(path, AudioBytes.Tone(16000, 12));
        var whole = AudioDecoder.Read(path);
        var clip = AudioDecoder.Read(path, new AudioReadOptions { Clip = new ClipExtent(16000, 32000) });
        Assert.Equal(32000, clip.Samples.Length);
        Assert.Equal(whole.Samples[..32000], clip.Samples);
        Assert.Equal(12.0, clip.DurationSeconds, 9);
        Assert.Equal(12.0, whole.DurationSeconds, 9);
    }

    [Fact]
    public void A_whole_read_refuses_a_recording_longer_than_the_limit_by_its_duration()
    {
        using var dir = new TempDirectory();
        var path = dir.File("long.wav");
        var rate = InputLimits.MinSampleRate;
        File.WriteAllBytes(path, AudioBytes.Wav(rate, new float[rate * (InputLimits.MaxDecodedSeconds + 1)], bits: 8));
        var error = Assert.Throws<UserInputException>(() => AudioDecoder.Read(path));
        Assert.Contains($"{path}: the recording lasts {InputLimits.MaxDecodedSeconds + 1} s, longer than the 10 minutes", error.Message);
        File.WriteAllBytes(path, AudioBytes.Wav(rate, new float[rate * InputLimits.MaxDecodedSeconds], bits: 8));
        Assert.Equal(rate * InputLimits.MaxDecodedSeconds, AudioDecoder.Read(path).Samples.Length);
    }

    [Theory]
    [InlineData(48000)]
    [InlineData(44100)]
    [InlineData(7919)] // resampled directly, not through a polyphase bank
    [InlineData(8000)]
    public void Cropping_while_reading_gives_the_same_features_as_cropping_the_whole_recording(int rate)
    {
        using var dir = new TempDirectory();
        var path = dir.File("scene.wav");
        WavWriter.WriteMono(path, rate, TestSignals.Mix(TestSignals.Noise(rate, 12, seed: 2, amplitude: 0.3), TestSignals.Tone(rate, 12, 300)), SampleEncoding.Float, 32);
        var settings = FrontEndSettings.Dcase2021;
        var streamed = FeaturePipeline.ForFile(path, settings);
        var whole = FeaturePipeline.Examples(AudioDecoder.Read(path), settings);
        Assert.Single(streamed.Examples);
        Assert.Equal(whole[0], streamed.Examples[0]);
        Assert.Equal(12.0, streamed.DurationSeconds, 6);
    }

    public static TheoryData<string, int, uint, string> DamagedOggHeaders => new()
    {
        { "short block size below 2^6", AudioBytes.BellBlockSizes, 0xB3, "block size exponents 3 and 11" },
        { "long block size above 2^13", AudioBytes.BellBlockSizes, 0xE8, "block size exponents 8 and 14" },
        { "short block larger than long", AudioBytes.BellBlockSizes, 0x8B, "block size exponents 11 and 8" },
        { "no channels", AudioBytes.BellChannels, 0, "0 channels" },
        { "too many channels", AudioBytes.BellChannels, 255, "255 channels (supported: 1 to 8)" },
        { "framing bit clear", AudioBytes.BellFraming, 0, "the framing bit is not set" },
    };

    [Theory]
    [MemberData(nameof(DamagedOggHeaders))]
    public void Damaged_vorbis_identification_headers_are_refused_before_decoding(string damage, int offset, uint value, string expected)
    {
        using var dir = new TempDirectory();
        var path = dir.File("bell.oga");
        var bytes = AudioBytes.Bell();
        bytes[offset] = (byte)value;
        File.WriteAllBytes(path, AudioBytes.Reseal(bytes));
        var error = Assert.Throws<UserInputException>(() => AudioDecoder.Read(path));
        Assert.True(error.Message.StartsWith($"{path}: damaged Vorbis identification header (stream 1): {expected}", StringComparison.Ordinal), $"{damage}: {error.Message}");
    }

    [Fact]
    public void An_ogg_sample_rate_outside_the_limits_is_refused()
    {
        using var dir = new TempDirectory();
        var path = dir.File("bell.oga");
        File.WriteAllBytes(path, AudioBytes.Reseal(AudioBytes.Patch(AudioBytes.Bell(), AudioBytes.BellRate, 7)));
        var error = Assert.Throws<UserInputException>(() => AudioDecoder.Read(path));
        Assert.Contains("unsupported sample rate 7 Hz", error.Message);
    }

    [Fact]
    public void A_damaged_comment_header_of_a_second_stream_is_refused_naming_the_stream()
    {
        using var dir = new TempDirectory();
        var path = dir.File("chained.oga");
        File.WriteAllBytes(path, AudioBytes.BellWithDamagedSecondStream());
        var error = Assert.Throws<UserInputException>(() => AudioDecoder.Read(path));
        Assert.Equal($"{path}: damaged Vorbis comment header (stream 2): a declared length runs past the end of the header", error.Message);
    }

    [Fact]
    public void An_ogg_clip_read_is_the_start_of_the_whole_decode()
    {
        using var dir = new TempDirectory();
        var path = dir.File("bell.oga");
        File.WriteAllBytes(path, AudioBytes.Bell());
        var whole = AudioDecoder.Read(path);
        var clip = AudioDecoder.Read(path, new AudioReadOptions { Clip = new ClipExtent(whole.SampleRate, 1000) });
        Assert.Equal(whole.Samples[..1000], clip.Samples);
        Assert.Equal(whole.DurationSeconds, clip.DurationSeconds, 9);
    }
}
