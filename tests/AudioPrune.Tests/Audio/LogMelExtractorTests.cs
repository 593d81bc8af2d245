using AudioPrune.Audio;
using AudioPrune.Zoo;

namespace AudioPrune.Tests.Audio;

public sealed class LogMelExtractorTests
{
    /// <summary>Largest allowed difference, in decibels of the spectrum the features are computed from.</summary>
    private const double ToleranceDb = 1e-3;

    public static TheoryData<string, string, int> Cases => new()
    {
        { "dcase2021", "chirp+noise", 16 }, { "dcase2021", "tones", 24 }, { "dcase2021", "noise", 32 },
        { "vggish", "chirp+noise", 16 }, { "vggish", "tones", 24 }, { "vggish", "noise", 64 },
        { "panns", "chirp+noise", 16 }, { "panns", "tones", 24 }, { "panns", "noise", 32 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_the_double_precision_librosa_reference_on_decoded_wav_files(string preset, string signal, int bits)
    {
        var settings = FrontEndSettings.FromPreset(preset);
        var rate = settings.SampleRate;
        var samples = signal switch
        {
            "chirp+noise" => TestSignals.Mix(TestSignals.Chirp(rate, 2.5, 30, rate / 2.0 - 100), TestSignals.Noise(rate, 2.5, seed: 3, amplitude: 0.05)),
            "tones" => TestSignals.Mix(TestSignals.Tone(rate, 2.5, 440, 0.3), TestSignals.Tone(rate, 2.5, 3150.5, 0.2), TestSignals.Tone(rate, 2.5, 97, 0.1)),
            _ => TestSignals.Noise(rate, 2.5, seed: 11, amplitude: 0.4),
        };
        using var dir = new TempDirectory();
        var path = dir.File("signal.wav");
        // Written as a real file and read back through the decoder, in the encoding the case names.
        WavWriter.WriteMono(path, rate, samples, bits == 32 || bits == 64 ? SampleEncoding.Float : SampleEncoding.Pcm, bits);
        var decoded = AudioDecoder.Read(path).Samples;

        var actual = new LogMelExtractor(settings).Extract(decoded);
        var expected = LibrosaReference.LogMel(decoded, settings);

        Assert.Equal(expected.GetLength(0), actual.Frames);
        Assert.Equal(expected.GetLength(1), actual.Bands);
        var worst = 0.0;
        for (var t = 0; t < actual.Frames; t++)
            for (var b = 0; b < actual.Bands; b++)
                worst = Math.Max(worst, Math.Abs(actual[t, b] - expected[t, b]) * DecibelsPerUnit(settings));
        Assert.True(worst <= ToleranceDb, $"{preset}/{signal}: largest difference {worst:E2} dB");
    }

    /// <summary>
    /// A change of one unit of the log feature in dB: ln of a magnitude is 20/ln 10 dB, ln of a power 10/ln 10,
    /// and 10 log10 of a power is already dB.
    /// </summary>
    private static double DecibelsPerUnit(FrontEndSettings s) => s.Log == LogKind.Decibel ? 1.0
        : (s.Spectrum == SpectrumKind.Magnitude ? 20.0 : 10.0) / Math.Log(10);

    [Fact]
    public void Reference_fft_agrees_with_a_naive_dft()
    {
        var random = new Random(5);
        var x = Enumerable.Range(0, 64).Select(_ => new System.Numerics.Complex(random.NextDouble() - 0.5, 0)).ToArray();
        var fast = LibrosaReference.Fft(x);
        for (var k = 0; k < 64; k++)
        {
            var sum = System.Numerics.Complex.Zero;
            for (var n = 0; n < 64; n++) sum += x[n] * System.Numerics.Complex.FromPolarCoordinates(1, -2 * Math.PI * k * n / 64);
            Assert.True((sum - fast[k]).Magnitude < 1e-12);
        }
    }

    [Theory]
    [InlineData("dcase2021")]
    [InlineData("panns")]
    [InlineData("vggish")]
    public void Library_mel_filters_equal_the_reference_filters(string preset)
    {
        var s = FrontEndSettings.FromPreset(preset);
        var bank = MelFilterBank.Create(s);
        var reference = s.MelScale == MelScale.Slaney ? LibrosaReference.SlaneyFilters(s) : LibrosaReference.HtkFilters(s);
        for (var m = 0; m < s.MelBands; m++)
        {
            var row = bank.Dense(m);
            for (var k = 0; k < row.Length; k++)
                Assert.True(Math.Abs(row[k] - reference[m, k]) <= 1e-6 * Math.Max(1e-3, Math.Abs(reference[m, k])) + 1e-9,
                    $"band {m} bin {k}: {row[k]} vs {reference[m, k]}");
        }
    }

    [Theory]
    [InlineData("dcase2021", "dcase21", 1)]
    [InlineData("panns", "cnn14", 1)]
    [InlineData("vggish", "vggish", 10)]
    public void Ten_second_clip_gives_examples_with_the_zoo_network_input_shape(string preset, string zooName, int expectedExamples)
    {
        var settings = FrontEndSettings.FromPreset(preset);
        var signal = new AudioSignal(TestSignals.Noise(settings.SampleRate, 10, seed: 1), settings.SampleRate, 1, "test");
        var examples = FeaturePipeline.Examples(signal, settings);
        var zoo = ModelZoo.Create(zooName);
        Assert.Equal(zoo.Graph.Input, settings.ExampleShape);
        Assert.Equal(expectedExamples, examples.Length);
        Assert.All(examples, e => Assert.Equal(zoo.Graph.Input.Elements, e.Length));
        Assert.Equal(preset, FrontEndSettings.FromPreset(zoo.FrontEndPreset).Preset);
    }

    [Fact]
    public void Mel_by_frames_layout_is_the_transpose_of_frames_by_mel()
    {
        var settings = FrontEndSettings.Dcase2021 with { ClipSeconds = 1, ExampleFrames = 50 };
        var signal = new AudioSignal(TestSignals.Chirp(44100, 1, 100, 15000), 44100, 1, "test");
        var melByFrames = FeaturePipeline.Examples(signal, settings)[0];
        var framesByMel = FeaturePipeline.Examples(signal, settings with { Layout = FeatureLayout.FramesByMel })[0];
        for (var b = 0; b < 40; b++)
            for (var f = 0; f < 50; f++)
                Assert.Equal(framesByMel[f * 40 + b], melByFrames[b * 50 + f]);
    }

    [Fact]
    public void Tone_energy_lands_in_the_mel_band_that_contains_it()
    {
        var s = FrontEndSettings.Dcase2021;
        var spectrogram = new LogMelExtractor(s).Extract(TestSignals.Tone(44100, 1, 1000));
        var bank = MelFilterBank.Create(s);
        var toneBin = (int)Math.Round(1000.0 * s.FftSize / s.SampleRate);
        var expectedBand = Enumerable.Range(0, 40).MaxBy(b => bank.Dense(b)[toneBin]);
        var loudest = Enumerable.Range(0, 40).MaxBy(b => spectrogram[25, b]);
        Assert.Equal(expectedBand, loudest);
    }
}
