using AudioPrune.Audio;
using AudioPrune.Common;

namespace AudioPrune.Tests.Audio;

public sealed class FrontEndSettingsTests
{
    [Fact]
    public void Presets_match_the_published_front_ends()
    {
        var d = FrontEndSettings.FromPreset("dcase2021");
        Assert.Equal((44100, 2048, 1764, 882, WindowKind.Hamming, 40, 0.0, 22050.0), (d.SampleRate, d.FftSize, d.WindowLength, d.HopLength, d.Window, d.MelBands, d.MinFrequency, d.MaxFrequency));
        Assert.Equal((SpectrumKind.Magnitude, LogKind.Natural, 2.2e-16, true), (d.Spectrum, d.Log, d.LogEpsilon, d.Center));
        Assert.Equal(501, d.FrameCount(441000));
        var v = FrontEndSettings.FromPreset("vggish");
        Assert.Equal((16000, 512, 400, 160, MelScale.Htk, 64, 125.0, 7500.0, 0.01), (v.SampleRate, v.FftSize, v.WindowLength, v.HopLength, v.MelScale, v.MelBands, v.MinFrequency, v.MaxFrequency, v.LogEpsilon));
        var p = FrontEndSettings.FromPreset("panns");
        Assert.Equal((32000, 1024, 320, SpectrumKind.Power, LogKind.Decibel, 1e-10, 50.0, 14000.0), (p.SampleRate, p.FftSize, p.HopLength, p.Spectrum, p.Log, p.LogEpsilon, p.MinFrequency, p.MaxFrequency));
        Assert.Equal(1001, p.FrameCount(320000));
    }

    [Fact]
    public void Json_round_trips_and_a_preset_name_with_overrides_is_complete()
    {
        var custom = FrontEndSettings.Dcase2021 with { MelBands = 64, ClipPolicy = ClipPolicy.Segment, Channel = 1 };
        Assert.Equal(custom, FrontEndSettings.FromJson(custom.ToJson()));
        Assert.Equal(FrontEndSettings.Panns, FrontEndSettings.FromJson("{\"preset\":\"panns\"}"));
        var overridden = FrontEndSettings.FromJson("{\"preset\":\"dcase2021\",\"mel_bands\":64}");
        Assert.Equal(FrontEndSettings.Dcase2021 with { MelBands = 64 }, overridden);
        Assert.Contains("\"mel_bands\": 40", FrontEndSettings.Dcase2021.ToJson());
    }

    [Fact]
    public void Hash_changes_with_any_field()
    {
        Assert.Equal(FrontEndSettings.Dcase2021.Hash, (FrontEndSettings.Dcase2021 with { }).Hash);
        Assert.NotEqual(FrontEndSettings.Dcase2021.Hash, (FrontEndSettings.Dcase2021 with { LogEpsilon = 1e-10 }).Hash);
        Assert.NotEqual(FrontEndSettings.Dcase2021.Hash, (FrontEndSettings.Dcase2021 with { Channel = 0 }).Hash);
    }

    [Fact]
    public void Invalid_settings_and_names_are_user_errors()
    {
        Assert.Contains("valid: dcase2021", Assert.Throws<UserInputException>(() => FrontEndSettings.FromPreset("mfcc")).Message);
        Assert.Contains("fft_size", Assert.Throws<UserInputException>(() => (FrontEndSettings.Dcase2021 with { FftSize = 2000 }).Validate()).Message);
        Assert.Contains("Nyquist", Assert.Throws<UserInputException>(() => (FrontEndSettings.Vggish with { MaxFrequency = 9000 }).Validate()).Message);
        Assert.Contains("example_frames", Assert.Throws<UserInputException>(() => (FrontEndSettings.Dcase2021 with { ClipSeconds = 2 }).Validate()).Message);
        Assert.Throws<UserInputException>(() => FrontEndSettings.FromJson("{\"preset\":\"dcase2021\",\"window\":\"Blackman\"}"));
    }

    [Fact]
    public void Normalisation_standardises_each_band_and_round_trips()
    {
        var random = new Random(2);
        var examples = Enumerable.Range(0, 20).Select(_ => Enumerable.Range(0, 3 * 7).Select(i => (float)(i / 7 * 10 + random.NextDouble())).ToArray()).ToList();
        // MelByFrames with 3 bands x 7 frames: band b holds values near 10 b.
        var n = FeatureNormalization.Compute(examples, FeatureLayout.MelByFrames, bands: 3, frames: 7);
        Assert.Equal(new[] { 0.5, 10.5, 20.5 }, n.Mean.Select(m => Math.Round(m * 2) / 2));
        var normalised = examples.Select(e => { var c = (float[])e.Clone(); n.Apply(c); return c; }).ToList();
        for (var b = 0; b < 3; b++)
        {
            var values = normalised.SelectMany(e => e.Skip(b * 7).Take(7)).Select(v => (double)v).ToArray();
            Assert.InRange(values.Average(), -1e-5, 1e-5);
            Assert.InRange(Math.Sqrt(values.Select(v => v * v).Average()), 0.9999, 1.0001);
        }
        var back = FeatureNormalization.FromJson(n.ToJson());
        Assert.Equal(n.Mean, back.Mean);
        Assert.Equal(n.Std, back.Std);
        Assert.Equal(n.Layout, back.Layout);
    }
}
