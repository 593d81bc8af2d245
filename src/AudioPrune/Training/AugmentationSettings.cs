using AudioPrune.Common;

namespace AudioPrune.Training;

/// <summary>
/// Training-time augmentation, drawn from the run's seeded generator: mixup (lambda ~ Beta(alpha, alpha),
/// off when alpha is 0) and SpecAugment-style masks that zero random bands of frequency bins and time frames.
/// Examples are [C, H, W]; FrequencyAxis says which of H (1) or W (2) holds frequency, the other is time
/// (dcase21's 1x40x500 has frequency on H; the PANNs' 1x1001x64 on W).
/// </summary>
internal sealed record AugmentationSettings
{
    public double MixupAlpha { get; init; }
    public int FrequencyMasks { get; init; }
    public int FrequencyMaskWidth { get; init; } = 8;
    public int TimeMasks { get; init; }
    public int TimeMaskWidth { get; init; } = 20;
    public int FrequencyAxis { get; init; } = 1;

    public static AugmentationSettings None { get; } = new();

    public bool UsesMixup => MixupAlpha > 0;
    public bool UsesMasks => FrequencyMasks > 0 || TimeMasks > 0;

    public void Validate()
    {
        if (!(MixupAlpha >= 0) || !double.IsFinite(MixupAlpha)) throw new UserInputException($"mixup alpha must be zero (off) or positive, got {MixupAlpha}");
        if (FrequencyMasks < 0 || TimeMasks < 0) throw new UserInputException("the number of SpecAugment masks cannot be negative");
        if (FrequencyMaskWidth < 1 || TimeMaskWidth < 1) throw new UserInputException("SpecAugment mask widths must be at least 1");
        if (FrequencyAxis is not (1 or 2)) throw new UserInputException($"frequency axis must be 1 (H) or 2 (W) of a [C, H, W] example, got {FrequencyAxis}");
    }
}
