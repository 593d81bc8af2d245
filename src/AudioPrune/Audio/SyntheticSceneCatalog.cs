namespace AudioPrune.Audio;

/// <summary>Kinds of sound events the synthetic scenes are made of.</summary>
internal enum SoundEventKind { Tone, Chirp, NoiseBurst, Click, HarmonicStack }

/// <summary>
/// One event type in a scene: how often it occurs (per second, Poisson), its frequency and duration ranges,
/// and its level relative to the other events in dB.
/// </summary>
internal sealed record SoundEventSpec(SoundEventKind Kind, double Rate, double MinHz, double MaxHz, double MinSeconds, double MaxSeconds, double LevelDb = 0);

/// <summary>A scene: a background bed (noise colour 0 white / 1 pink / 2 brown, optional hum) and event types.</summary>
internal sealed record SceneSpec(string Name, int NoiseColour, double HumHz, double HumLevel, IReadOnlyList<SoundEventSpec> Events);

/// <summary>
/// A recording device: band limits, a resonance and a gain, applied to every clip it "records".
/// Devices flagged HeldOut never appear in the training split.
/// </summary>
internal sealed record DeviceSpec(string Name, double HighPassHz, double LowPassHz, double PeakHz, double PeakDb, double GainDb, bool HeldOut);

/// <summary>
/// The built-in scenes and devices. Event types are deliberately shared between scenes with different rates,
/// ranges and mixtures, so that classes overlap and a small network reaches useful but imperfect accuracy.
/// </summary>
internal static class SyntheticSceneCatalog
{
    public static IReadOnlyList<SceneSpec> Scenes { get; } =
    [
        new("park", 1, 0, 0, [
            new(SoundEventKind.Chirp, 1.2, 2500, 6500, 0.05, 0.25, 0),
            new(SoundEventKind.Tone, 0.3, 1800, 4000, 0.1, 0.4, -6),
            new(SoundEventKind.NoiseBurst, 0.15, 300, 1500, 0.8, 2.0, -10)]),
        new("street_traffic", 2, 0, 0, [
            new(SoundEventKind.NoiseBurst, 0.5, 80, 900, 1.0, 3.0, 0),
            new(SoundEventKind.HarmonicStack, 0.12, 300, 500, 0.3, 0.8, -2),
            new(SoundEventKind.Click, 0.3, 0, 0, 0.002, 0.005, -14)]),
        new("metro", 2, 50, 0.4, [
            new(SoundEventKind.Click, 1.5, 0, 0, 0.002, 0.006, -4),
            new(SoundEventKind.Chirp, 0.2, 1500, 4000, 0.5, 1.5, -6),
            new(SoundEventKind.NoiseBurst, 0.2, 100, 600, 1.5, 3.0, -3)]),
        new("airport", 1, 0, 0, [
            new(SoundEventKind.HarmonicStack, 0.25, 120, 260, 0.4, 1.2, -4),
            new(SoundEventKind.NoiseBurst, 0.15, 200, 2500, 2.0, 4.0, -2),
            new(SoundEventKind.Tone, 0.1, 500, 1200, 0.5, 1.0, -4)]),
        new("shopping_mall", 1, 0, 0, [
            new(SoundEventKind.HarmonicStack, 0.9, 110, 280, 0.15, 0.5, -3),
            new(SoundEventKind.Tone, 0.2, 600, 1600, 0.3, 0.8, -6),
            new(SoundEventKind.Click, 0.4, 0, 0, 0.002, 0.004, -12)]),
        new("bus", 2, 60, 0.25, [
            new(SoundEventKind.NoiseBurst, 0.3, 60, 500, 1.0, 2.5, 0),
            new(SoundEventKind.HarmonicStack, 0.3, 110, 250, 0.2, 0.5, -6),
            new(SoundEventKind.Click, 0.5, 0, 0, 0.002, 0.005, -8)]),
        new("public_square", 0, 0, 0, [
            new(SoundEventKind.HarmonicStack, 0.6, 120, 300, 0.15, 0.6, -4),
            new(SoundEventKind.Chirp, 0.4, 2000, 6000, 0.05, 0.2, -6),
            new(SoundEventKind.NoiseBurst, 0.15, 100, 800, 1.0, 2.5, -6)]),
        new("tram", 2, 50, 0.2, [
            new(SoundEventKind.Chirp, 0.5, 2000, 5000, 0.4, 1.2, -3),
            new(SoundEventKind.Click, 0.8, 0, 0, 0.002, 0.006, -6),
            new(SoundEventKind.Tone, 0.1, 900, 1400, 0.3, 0.6, -2)]),
    ];

    public static IReadOnlyList<DeviceSpec> Devices { get; } =
    [
        new("a", 20, 20000, 1000, 0, 0, HeldOut: false),
        new("b", 120, 9000, 2500, 4, -3, HeldOut: false),
        new("c", 300, 7000, 600, -3, 2, HeldOut: false),
        new("s1", 200, 5000, 1500, 6, -6, HeldOut: true),
        new("s2", 60, 12000, 4000, -5, 4, HeldOut: true),
    ];
}
