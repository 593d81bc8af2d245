using System.Buffers.Binary;
using AudioPrune.Audio;
using AudioPrune.Common;

namespace AudioPrune.Tests.Audio;

public sealed class WavReaderTests
{
    [Theory]
    [InlineData("pcm", 8, false, 1.0 / 128)]
    [InlineData("pcm", 16, false, 1.0 / 32768)]
    [InlineData("pcm", 24, true, 1.0 / 8388608)]
    [InlineData("pcm", 32, false, 1e-7)]
    [InlineData("float", 32, true, 0)]
    [InlineData("float", 64, false, 1e-7)]
    public void Decodes_every_supported_encoding(string encodingName, int bits, bool extensible, double tolerance)
    {
        var encoding = encodingName == "pcm" ? SampleEncoding.Pcm : SampleEncoding.Float;
        using var dir = new TempDirectory();
        var samples = TestSignals.Chirp(22050, 0.2, 50, 9000, amplitude: 0.9);
        var path = dir.File("x.wav");
        WavWriter.Write(path, 22050, [samples], encoding, bits, extensible);
        var signal = AudioDecoder.Read(path);
        Assert.Equal(22050, signal.SampleRate);
        Assert.Equal(samples.Length, signal.Samples.Length);
        for (var i = 0; i < samples.Length; i++) Assert.True(Math.Abs(samples[i] - signal.Samples[i]) <= tolerance + 1e-9, $"sample {i}");
        Assert.Contains(extensible ? "extensible" : "Hz", signal.Encoding);
    }

    [Fact]
    public void Multichannel_files_are_downmixed_or_one_channel_is_picked()
    {
        using var dir = new TempDirectory();
        float[] left = [0.5f, 0.25f, -1f], right = [0.1f, 0.25f, 0f], third = [0f, 0f, 0.3f];
        var path = dir.File("three.wav");
        WavWriter.Write(path, 8000, [left, right, third], SampleEncoding.Float, 32, extensible: true);
        var mixed = AudioDecoder.Read(path);
        Assert.Equal(3, mixed.SourceChannels);
        Assert.Equal(new[] { 0.2f, 0.5f / 3, -0.7f / 3 }.Select(v => Math.Round(v, 6)), mixed.Samples.Select(v => Math.Round(v, 6)));
        Assert.Equal(right, AudioDecoder.Read(path, new AudioReadOptions(Channel: 1)).Samples);
        var error = Assert.Throws<UserInputException>(() => AudioDecoder.Read(path, new AudioReadOptions(Channel: 3)));
        Assert.Contains("3 channel(s)", error.Message);
    }

    [Fact]
    public void Unknown_chunks_and_odd_sizes_are_skipped()
    {
        var wav = WavWriter.Encode(8000, [[0.5f, -0.5f]], SampleEncoding.Pcm, 16, false);
        // Insert a 3-byte LIST chunk (plus its pad byte) between fmt and data.
        byte[] extra = [.. "LIST"u8, 3, 0, 0, 0, 1, 2, 3, 0];
        var file = wav[..36].Concat(extra).Concat(wav[36..]).ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(4), (uint)(file.Length - 8));
        var signal = WavReader.Decode(file, "x.wav", AudioReadOptions.Downmix);
        Assert.Equal(new[] { 0.5f, -0.5f }, signal.Samples);
    }

    public static TheoryData<string, string> BadFiles => new()
    {
        { "empty", "empty" },
        { "text", "not a WAV or OGG" },
        { "truncated", "truncated" },
        { "header-only", "no fmt chunk" },
        { "zero-length", "zero-length" },
        { "adpcm", "unsupported encoding" },
        { "pcm12", "unsupported encoding" },
        { "huge-fmt", "truncated" },
        { "bad-ogg", "Ogg file" },
        { "no-data", "no data chunk" },
        { "zero-channels", "0 channels" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void Bad_files_fail_with_the_file_name_and_reason(string kind, string reason)
    {
        using var dir = new TempDirectory();
        var good = WavWriter.Encode(16000, [TestSignals.Tone(16000, 0.1, 440)], SampleEncoding.Pcm, 16, false);
        byte[] bytes = kind switch
        {
            "empty" => [],
            "text" => "filename,label\n"u8.ToArray(),
            "truncated" => good[..(good.Length / 2)],
            "header-only" => good[..12],
            "zero-length" => AudioBytes.Patch(good[..44], 40, 0),
            "adpcm" => AudioBytes.Patch16(good, 20, 2),
            "pcm12" => AudioBytes.Patch16(good, 34, 12),
            "huge-fmt" => AudioBytes.Patch(good, 16, 100000),
            "bad-ogg" => [.. "OggS"u8, .. new byte[200]],
            "no-data" => good[..36],
            "zero-channels" => AudioBytes.Patch16(good, 22, 0),
            _ => throw new ArgumentException(kind),
        };
        var path = dir.File($"{kind}.wav");
        File.WriteAllBytes(path, bytes);
        var error = Assert.Throws<UserInputException>(() => AudioDecoder.Read(path));
        Assert.Contains(path, error.Message);
        Assert.Contains(reason, error.Message);
    }
}
