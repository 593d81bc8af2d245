using System.Buffers.Binary;
using AudioPrune.Audio;
using AudioPrune.Common;
using AudioPrune.Tests.Audio;

namespace AudioPrune.Tests.Reliability;

/// <summary>Seeded mutations of valid WAV files (every supported encoding) and of a real OGG Vorbis recording.</summary>
[Trait("Category", "Slow")]
public sealed class AudioFuzzTests
{
    public const int WavCases = 4000;
    public const int OggCases = 1500;

    private static readonly (SampleEncoding Encoding, int Bits, bool Extensible, int Channels)[] Encodings =
    [
        (SampleEncoding.Pcm, 8, false, 1), (SampleEncoding.Pcm, 16, false, 1), (SampleEncoding.Pcm, 16, false, 2),
        (SampleEncoding.Pcm, 24, true, 2), (SampleEncoding.Pcm, 32, false, 1), (SampleEncoding.Float, 32, false, 3),
        (SampleEncoding.Float, 64, true, 1),
    ];

    [Fact]
    public void MutatedWavFilesGiveCleanErrors()
    {
        var random = new Random(3);
        var valid = Encodings.Select(e => WavWriter.Encode(16000,
            Enumerable.Range(0, e.Channels).Select(_ => Enumerable.Range(0, 301).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray()).ToArray(),
            e.Encoding, e.Bits, e.Extensible)).ToArray();
        using var dir = new TempDirectory();
        var outcome = FuzzHarness.Run(valid, seed: 11, WavCases, 16L << 20, (bytes, i) =>
        {
            var path = dir.File($"case{i}.wav");
            File.WriteAllBytes(path, bytes);
            var signal = AudioDecoder.Read(path);
            CheckSignal(signal);
            File.Delete(path);
        });
        Assert.True(outcome.Refused > WavCases / 4, $"only {outcome.Refused} of {WavCases} mutations were refused");
        Assert.True(outcome.Loaded > 0);
    }

    [Fact]
    public void MutatedOggFilesGiveCleanErrors()
    {
        var fixture = Path.Combine(AppContext.BaseDirectory, "Audio", "Fixtures", "bell.oga");
        CheckSignal(AudioDecoder.Read(fixture));
        var valid = AudioBytes.Bell();
        using var dir = new TempDirectory();
        // The bound is higher than for WAV: a damaged setup header may declare codebooks of up to 2^24 entries (the
        // format's limit), and NVorbis allocates them before it finds the damage; that is bounded, unlike a length claim.
        var outcome = FuzzHarness.Run([valid], seed: 12, OggCases, 256L << 20, (bytes, i) =>
        {
            // Every other case gets its page checksums repaired, so that the damage reaches the Vorbis decoder itself.
            if (i % 2 == 1) AudioBytes.Reseal(bytes);
            var path = dir.File($"case{i}.oga");
            File.WriteAllBytes(path, bytes);
            CheckSignal(AudioDecoder.Read(path));
            File.Delete(path);
        });
        Assert.True(outcome.Refused > 0, "no mutation was refused");
        Assert.True(outcome.Loaded > 0, "no mutation decoded");
    }

    private static void CheckSignal(AudioSignal signal)
    {
        Assert.True(signal.Samples.Length > 0);
        Assert.InRange(signal.SampleRate, InputLimits.MinSampleRate, InputLimits.MaxSampleRate);
        Assert.All(signal.Samples, v => Assert.True(float.IsFinite(v)));
        Assert.True(signal.SourceChannels >= 1);
    }
}
