namespace AudioPrune.Audio;

/// <summary>The examples computed from one recording (one for PadOrCrop, one per segment for Segment), sharing a clip id.</summary>
internal sealed record ClipFeatures(string ClipId, float[][] Examples, double DurationSeconds, int SourceSampleRate, int SourceChannels);
