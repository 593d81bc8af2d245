using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using AudioPrune.Common;
using AudioPrune.Graph;

namespace AudioPrune.Audio;

/// <summary>
/// Everything that decides the log-mel features a network sees. Named presets reproduce the published front
/// ends (docs/method.md, "Reference networks"); every field can be overridden. Serialises to JSON for the model artifact
/// (<see cref="ModelArtifact.FrontEndKey"/>), and its <see cref="Hash"/> keys the feature cache.
/// </summary>
internal sealed record FrontEndSettings
{
    public string Preset { get; init; } = "custom";
    public int SampleRate { get; init; }
    public int FftSize { get; init; }
    public int WindowLength { get; init; }
    public int HopLength { get; init; }
    public WindowKind Window { get; init; } = WindowKind.Hann;
    public bool PeriodicWindow { get; init; } = true;

    /// <summary>
    /// Centred frames (librosa center=True): frame t is centred on sample t*hop, the signal reflect-padded by
    /// FftSize/2. Otherwise frame t starts at sample t*hop and holds WindowLength samples, zero-padded to FftSize.
    /// </summary>
    public bool Center { get; init; } = true;

    public SpectrumKind Spectrum { get; init; } = SpectrumKind.Magnitude;
    public MelScale MelScale { get; init; } = MelScale.Slaney;
    public int MelBands { get; init; }
    public double MinFrequency { get; init; }
    public double MaxFrequency { get; init; }
    public LogKind Log { get; init; } = LogKind.Natural;
    public double LogEpsilon { get; init; }
    public FeatureLayout Layout { get; init; } = FeatureLayout.MelByFrames;

    /// <summary>Frames in one example (the network's time axis).</summary>
    public int ExampleFrames { get; init; }

    public ClipPolicy ClipPolicy { get; init; } = ClipPolicy.PadOrCrop;

    /// <summary>Clip length for <see cref="ClipPolicy.PadOrCrop"/>.</summary>
    public double ClipSeconds { get; init; } = 10;

    /// <summary>Zero-based channel to keep; null downmixes all channels.</summary>
    public int? Channel { get; init; }

    public static IReadOnlyList<string> PresetNames { get; } = ["dcase2021", "vggish", "panns", "efficientat", "cpresnet"];

    /// <summary>DCASE 2021 Task 1A baseline (dcase_util MelExtractor): example [1, 40, 500].</summary>
    public static FrontEndSettings Dcase2021 { get; } = new()
    {
        Preset = "dcase2021", SampleRate = 44100, FftSize = 2048, WindowLength = 1764, HopLength = 882,
        Window = WindowKind.Hamming, Center = true, Spectrum = SpectrumKind.Magnitude, MelScale = MelScale.Slaney,
        MelBands = 40, MinFrequency = 0, MaxFrequency = 22050, Log = LogKind.Natural, LogEpsilon = 2.2e-16,
        Layout = FeatureLayout.MelByFrames, ExampleFrames = 500, ClipPolicy = ClipPolicy.PadOrCrop, ClipSeconds = 10,
    };

    /// <summary>VGGish: non-overlapping 96-frame x 64-mel patches, example [1, 96, 64].</summary>
    public static FrontEndSettings Vggish { get; } = new()
    {
        Preset = "vggish", SampleRate = 16000, FftSize = 512, WindowLength = 400, HopLength = 160,
        Window = WindowKind.Hann, Center = false, Spectrum = SpectrumKind.Magnitude, MelScale = MelScale.Htk,
        MelBands = 64, MinFrequency = 125, MaxFrequency = 7500, Log = LogKind.Natural, LogEpsilon = 0.01,
        Layout = FeatureLayout.FramesByMel, ExampleFrames = 96, ClipPolicy = ClipPolicy.Segment, ClipSeconds = 10,
    };

    /// <summary>PANNs (CNN14/10/6): 10 s at 32 kHz, example [1, 1001, 64].</summary>
    public static FrontEndSettings Panns { get; } = new()
    {
        Preset = "panns", SampleRate = 32000, FftSize = 1024, WindowLength = 1024, HopLength = 320,
        Window = WindowKind.Hann, Center = true, Spectrum = SpectrumKind.Power, MelScale = MelScale.Slaney,
        MelBands = 64, MinFrequency = 50, MaxFrequency = 14000, Log = LogKind.Decibel, LogEpsilon = 1e-10,
        Layout = FeatureLayout.FramesByMel, ExampleFrames = 1001, ClipPolicy = ClipPolicy.PadOrCrop, ClipSeconds = 10,
    };

    /// <summary>
    /// EfficientAT's MobileNets (models/preprocess.py, at evaluation): 32 kHz, 800-sample symmetric Hann window, hop 320,
    /// power spectrum, 128 mel bands up to 15 kHz, log(x + 1e-5); example [1, 128, 1000]. Not reproduced: the
    /// pre-emphasis filter, Kaldi's mel filter bank (the HTK mel scale is used here) and the fixed
    /// (x + 4.5) / 5 scaling.
    /// </summary>
    public static FrontEndSettings EfficientAt { get; } = new()
    {
        Preset = "efficientat", SampleRate = 32000, FftSize = 1024, WindowLength = 800, HopLength = 320,
        Window = WindowKind.Hann, PeriodicWindow = false, Center = true, Spectrum = SpectrumKind.Power, MelScale = MelScale.Htk,
        MelBands = 128, MinFrequency = 0, MaxFrequency = 15000, Log = LogKind.Natural, LogEpsilon = 1e-5,
        Layout = FeatureLayout.MelByFrames, ExampleFrames = 1000, ClipPolicy = ClipPolicy.PadOrCrop, ClipSeconds = 10,
    };

    /// <summary>
    /// CP-ResNet (cpjku_dcase20's d18 processor): 22.05 kHz, 2048-point Hann STFT, hop 512, 256 mel bands, decibels;
    /// example [1, 256, 431]. Not reproduced: librosa's perceptual (A-) weighting before the mel filters.
    /// </summary>
    public static FrontEndSettings CpResNet { get; } = new()
    {
        Preset = "cpresnet", SampleRate = 22050, FftSize = 2048, WindowLength = 2048, HopLength = 512,
        Window = WindowKind.Hann, Center = true, Spectrum = SpectrumKind.Power, MelScale = MelScale.Slaney,
        MelBands = 256, MinFrequency = 0, MaxFrequency = 11025, Log = LogKind.Decibel, LogEpsilon = 1e-10,
        Layout = FeatureLayout.MelByFrames, ExampleFrames = 431, ClipPolicy = ClipPolicy.PadOrCrop, ClipSeconds = 10,
    };

    /// <summary>A named preset (dcase2021, vggish, panns, efficientat, cpresnet); unknown names are a user error listing the valid ones.</summary>
    public static FrontEndSettings FromPreset(string name) => name.ToLowerInvariant() switch
    {
        "dcase2021" or "dcase21" => Dcase2021,
        "vggish" => Vggish,
        "panns" or "cnn14" or "cnn10" or "cnn6" => Panns,
        "efficientat" or "mn04" or "mn05" or "mn10" or "mn40" => EfficientAt,
        "cpresnet" => CpResNet,
        _ => throw new UserInputException($"unknown front-end preset '{name}' (valid: {string.Join(", ", PresetNames)})"),
    };

    /// <summary>
    /// What a user gives as --preset: a preset's name, or a .json file of settings (a preset and the fields that
    /// differ, e.g. {"preset": "dcase2021", "mel_bands": 64, "example_frames": 100} for a network that reads 1x64x100).
    /// </summary>
    public static FrontEndSettings FromArgument(string value)
    {
        if (!value.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) return FromPreset(value);
        var json = InputFile.ReadAllText(value, InputLimits.MaxConfigBytes, "front-end settings file");
        try
        {
            return FromJson(json);
        }
        catch (UserInputException e)
        {
            throw UserInputException.InFile(value, e.Message);
        }
    }

    /// <summary>Shape of one example for the network: [1, mel, frames] or [1, frames, mel].</summary>
    [JsonIgnore]
    public Shape ExampleShape => Layout == FeatureLayout.MelByFrames ? new Shape(1, MelBands, ExampleFrames) : new Shape(1, ExampleFrames, MelBands);

    /// <summary>Number of STFT frames for a signal of <paramref name="samples"/> samples.</summary>
    public int FrameCount(int samples) => Center ? 1 + samples / HopLength : samples < WindowLength ? 0 : 1 + (samples - WindowLength) / HopLength;

    /// <summary>Fewest samples that give <paramref name="frames"/> frames.</summary>
    public int SamplesForFrames(int frames) => Center ? (frames - 1) * HopLength : WindowLength + (frames - 1) * HopLength;

    [JsonIgnore]
    public int ClipSamples => (int)Math.Round(ClipSeconds * SampleRate);

    /// <summary>Checks the settings make sense together; throws a <see cref="UserInputException"/> naming the field.</summary>
    public FrontEndSettings Validate()
    {
        void Require(bool ok, string problem)
        {
            if (!ok) throw new UserInputException($"front-end settings ({Preset}): {problem}");
        }
        Require(SampleRate is > 0 and <= 768000, $"sample_rate {SampleRate} must be in 1..768000 Hz");
        Require(FftSize >= 16 && (FftSize & (FftSize - 1)) == 0, $"fft_size {FftSize} must be a power of two >= 16");
        Require(WindowLength > 0 && WindowLength <= FftSize, $"window_length {WindowLength} must be in 1..fft_size ({FftSize})");
        Require(HopLength > 0, $"hop_length {HopLength} must be positive");
        Require(MelBands > 0 && MelBands <= FftSize / 2 + 1, $"mel_bands {MelBands} must be in 1..{FftSize / 2 + 1}");
        Require(MinFrequency >= 0 && MinFrequency < MaxFrequency, $"min_frequency {MinFrequency} must be >= 0 and below max_frequency {MaxFrequency}");
        Require(MaxFrequency <= SampleRate / 2.0 + 1e-9, $"max_frequency {MaxFrequency} is above the Nyquist frequency {SampleRate / 2.0}");
        Require(LogEpsilon > 0, $"log_epsilon {LogEpsilon} must be positive");
        Require(ExampleFrames > 0, $"example_frames {ExampleFrames} must be positive");
        Require(Channel is null or >= 0, $"channel {Channel} must be >= 0");
        if (ClipPolicy == ClipPolicy.PadOrCrop)
            Require(ClipSeconds > 0 && FrameCount(ClipSamples) >= ExampleFrames,
                $"clip_seconds {ClipSeconds} gives {FrameCount(Math.Max(0, ClipSamples))} frames, fewer than example_frames {ExampleFrames}");
        return this;
    }

    public string ToJson() => JsonSerializer.Serialize(this, ReportJson.Options);

    /// <summary>
    /// Parses settings JSON. A "preset" field selects the starting point and any other field overrides it,
    /// so {"preset":"dcase2021"} and {"preset":"dcase2021","mel_bands":64} are both complete settings.
    /// </summary>
    public static FrontEndSettings FromJson(string json)
    {
        try
        {
            var given = JsonNode.Parse(json) as JsonObject ?? throw new UserInputException("front-end settings: expected a JSON object");
            var merged = given["preset"] is JsonValue preset && PresetNames.Contains(preset.GetValue<string>().ToLowerInvariant())
                ? (JsonObject)JsonNode.Parse(FromPreset(preset.GetValue<string>()).ToJson())!
                : new JsonObject();
            foreach (var (key, value) in given) merged[key] = value?.DeepClone();
            var settings = merged.Deserialize<FrontEndSettings>(ReportJson.Options) ?? throw new UserInputException("front-end settings: empty JSON");
            return settings.Validate();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new UserInputException($"front-end settings: invalid JSON ({e.Message})", e);
        }
    }

    /// <summary>Short stable hash of every field (what the feature cache is keyed on).</summary>
    [JsonIgnore]
    public string Hash => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ToJson())))[..16];
}
