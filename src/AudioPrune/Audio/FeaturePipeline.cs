using System.Collections.Concurrent;

namespace AudioPrune.Audio;

/// <summary>
/// Audio file -> network-ready examples: decode, pick or downmix channels, resample to the front end's rate,
/// apply the clip policy, log-mel, cut into examples in the preset's layout, and optionally normalise.
/// With the pad-or-crop policy only the clip's start is decoded and resampled (<see cref="AudioReadOptions.For"/>),
/// giving the same samples as cropping the whole recording would.
/// Training (through the dataset loader and cache) and prediction use this same path.
/// </summary>
internal static class FeaturePipeline
{
    private static readonly ConcurrentDictionary<FrontEndSettings, LogMelExtractor> Extractors = new();

    /// <summary>A shared extractor for these settings (filter banks are built once).</summary>
    public static LogMelExtractor ExtractorFor(FrontEndSettings settings) => Extractors.GetOrAdd(settings, s => new LogMelExtractor(s));

    /// <summary>Features of one file for prediction: examples normalised when <paramref name="normalization"/> is given.</summary>
    public static ClipFeatures ForFile(string path, FrontEndSettings settings, FeatureNormalization? normalization = null, string? clipId = null)
    {
        var signal = AudioDecoder.Read(path, AudioReadOptions.For(settings));
        var examples = Examples(signal, settings);
        if (normalization is not null)
            foreach (var e in examples) normalization.Apply(e);
        return new ClipFeatures(clipId ?? Path.GetFileNameWithoutExtension(path), examples, signal.DurationSeconds, signal.SampleRate, signal.SourceChannels);
    }

    /// <summary>Un-normalised examples of a decoded signal (resampled here if its rate differs).</summary>
    public static float[][] Examples(AudioSignal signal, FrontEndSettings settings)
    {
        var extractor = ExtractorFor(settings);
        var samples = signal.SampleRate == settings.SampleRate
            ? signal.Samples
            : Resampler.Resample(signal.Samples, signal.SampleRate, settings.SampleRate);
        var frames = settings.ExampleFrames;
        var size = frames * settings.MelBands;
        if (settings.ClipPolicy == ClipPolicy.PadOrCrop)
        {
            var clip = FitLength(samples, settings.ClipSamples);
            var spectrogram = extractor.Extract(clip);
            var example = new float[size];
            spectrogram.CopyExample(0, frames, settings.Layout, example);
            return [example];
        }
        var needed = settings.SamplesForFrames(frames);
        var whole = extractor.Extract(samples.Length >= needed ? samples : FitLength(samples, needed));
        var count = whole.Frames / frames;
        var result = new float[count][];
        for (var i = 0; i < count; i++)
        {
            result[i] = new float[size];
            whole.CopyExample(i * frames, frames, settings.Layout, result[i]);
        }
        return result;
    }

    /// <summary>Zero-pads or cuts to exactly <paramref name="length"/> samples.</summary>
    private static float[] FitLength(float[] samples, int length)
    {
        if (samples.Length == length) return samples;
        var result = new float[length];
        samples.AsSpan(0, Math.Min(length, samples.Length)).CopyTo(result);
        return result;
    }
}
