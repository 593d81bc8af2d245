using System.Text.Json.Serialization;

namespace AudioPrune.Audio;

/// <summary>Analysis window shape (always the periodic form unless <see cref="FrontEndSettings.PeriodicWindow"/> is false).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<WindowKind>))]
internal enum WindowKind { Hann, Hamming }

/// <summary>What the mel filters are applied to: |X| or |X|^2.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SpectrumKind>))]
internal enum SpectrumKind { Magnitude, Power }

/// <summary>
/// Mel filter bank definition. Slaney: librosa's default (Slaney mel scale, triangles in Hz, area-normalised).
/// Htk: VGGish's mel_features (HTK formula 1127 ln(1 + f/700), triangles in mel, peak 1, DC bin zeroed).
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<MelScale>))]
internal enum MelScale { Slaney, Htk }

/// <summary>Compression: Natural = ln(mel + epsilon); Decibel = 10 log10(max(mel, epsilon)).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<LogKind>))]
internal enum LogKind { Natural, Decibel }

/// <summary>Orientation of one example: [1, mel, frames] (DCASE21_Net) or [1, frames, mel] (VGGish, PANNs).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FeatureLayout>))]
internal enum FeatureLayout { MelByFrames, FramesByMel }

/// <summary>
/// How a recording becomes examples. PadOrCrop: the audio is zero-padded or cut to ClipSeconds and gives one
/// example. Segment: the whole recording is cut into consecutive non-overlapping runs of ExampleFrames frames
/// (a remainder shorter than a run is dropped; a recording shorter than one run is zero-padded to one).
/// Every example from one recording shares its clip id.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<ClipPolicy>))]
internal enum ClipPolicy { PadOrCrop, Segment }
