using System.Globalization;
using System.Text;
using AudioPrune.Common;

namespace AudioPrune.Audio;

/// <summary>Options of the synthetic acoustic-scene dataset.</summary>
internal sealed record SyntheticSceneOptions
{
    public int Clips { get; init; } = 400;
    public double Seconds { get; init; } = 10;
    public int SampleRate { get; init; } = 44100;
    public int Seed { get; init; }

    /// <summary>How many of the built-in scenes to use (2..8).</summary>
    public int Classes { get; init; } = 8;

    /// <summary>Folds for k-fold protocols (0: none, the clips get train/validation/test splits instead), stratified by scene.</summary>
    public int Folds { get; init; }

    public double ValidationFraction { get; init; } = 0.2;
    public double TestFraction { get; init; } = 0.2;

    /// <summary>Event-to-background ratio range in dB (random per clip).</summary>
    public double MinSnrDb { get; init; } = -6;
    public double MaxSnrDb { get; init; } = 12;
}

/// <summary>
/// A seeded synthetic acoustic-scene dataset generated in code: scenes of overlapping events (tones, chirps,
/// noise bursts, clicks, harmonic stacks) over background beds (coloured noise, hum), mixed at a random SNR
/// and coloured by a recording device (some devices only in validation/test). Written as 16-bit WAV files
/// with a CSV manifest (filename,label,split,group,device), so it is read like any real dataset.
/// Each clip depends only on (seed, clip index), so the output does not depend on thread scheduling.
/// </summary>
internal static class SyntheticScenes
{
    public static string Write(string outDirectory, SyntheticSceneOptions options)
    {
        Validate(options);
        var root = Path.GetFullPath(outDirectory);
        var manifestPath = Path.Combine(root, "manifest.csv");
        var scenes = SyntheticSceneCatalog.Scenes.Take(options.Classes).ToArray();
        var plan = options.Folds > 0 ? InFolds(PlanClips(options, scenes.Length), options, scenes.Length) : PlanClips(options, scenes.Length);
        Parallel.For(0, plan.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var clip = plan[i];
            var samples = Render(scenes[clip.Scene], clip.Device, options, new Random(StableSeed.Mix(options.Seed, 0x5CE7E, i)));
            WavWriter.WriteMono(Path.Combine(root, clip.FileName.Replace('/', Path.DirectorySeparatorChar)), options.SampleRate, samples);
        });
        var manifest = new StringBuilder(options.Folds > 0 ? "filename,label,fold,group,device\n" : "filename,label,split,group,device\n");
        foreach (var clip in plan)
            manifest.Append(CultureInfo.InvariantCulture, $"{clip.FileName},{scenes[clip.Scene].Name},{clip.Split},{clip.Group},{clip.Device.Name}\n");
        // Written last: a manifest never lists files that are not there yet.
        AtomicFile.WriteAllText(manifestPath, manifest.ToString());
        return manifestPath;
    }

    /// <summary>The clip's split, or its fold number (as text) when the clips are planned in folds.</summary>
    private sealed record ClipPlan(int Scene, DeviceSpec Device, string Split, string Group, string FileName);

    /// <summary>The same clips dealt into folds 1..k, stratified by scene; a location's group never spans two folds.</summary>
    private static ClipPlan[] InFolds(ClipPlan[] plan, SyntheticSceneOptions o, int sceneCount)
    {
        var random = new Random(StableSeed.Mix(o.Seed, 0xF01D, o.Folds));
        var folded = new ClipPlan[plan.Length];
        for (var scene = 0; scene < sceneCount; scene++)
        {
            var members = Enumerable.Range(0, plan.Length).Where(i => plan[i].Scene == scene).ToArray();
            random.Shuffle(members);
            for (var k = 0; k < members.Length; k++)
            {
                var clip = plan[members[k]];
                var fold = (k % o.Folds + 1).ToString(CultureInfo.InvariantCulture);
                folded[members[k]] = clip with { Split = fold, Group = $"{SyntheticSceneCatalog.Scenes[scene].Name}-fold{fold}-{random.Next(4)}" };
            }
        }
        return folded;
    }

    private static void Validate(SyntheticSceneOptions o)
    {
        if (o.Clips < 2) throw new UserInputException($"{{@Clips}} {o.Clips}: at least 2 clips are needed");
        if (!(o.Seconds is > 0.05 and <= 600)) throw new UserInputException($"{{@Seconds}} {o.Seconds}: must be in (0.05, 600]");
        if (o.Classes < 2 || o.Classes > SyntheticSceneCatalog.Scenes.Count)
            throw new UserInputException($"classes {o.Classes}: must be in 2..{SyntheticSceneCatalog.Scenes.Count}");
        if (o.SampleRate is < 8000 or > 192000) throw new UserInputException($"sample rate {o.SampleRate}: must be in 8000..192000");
        if (!(o.ValidationFraction >= 0 && o.TestFraction >= 0 && o.ValidationFraction + o.TestFraction < 1))
            throw new UserInputException("validation and test fractions must be >= 0 and sum to less than 1");
        if (o.MinSnrDb > o.MaxSnrDb) throw new UserInputException("the minimum SNR is above the maximum");
        if (o.Folds is < 0 or 1 or 2 || o.Folds > o.Clips / o.Classes)
            throw new UserInputException($"{{@Folds}} {o.Folds}: use 0 (no folds) or 3 to {o.Clips / o.Classes} (each fold needs a clip of every scene)");
    }

    /// <summary>Balanced scenes; splits stratified by scene; training clips only from training devices.</summary>
    private static ClipPlan[] PlanClips(SyntheticSceneOptions o, int sceneCount)
    {
        var random = new Random(o.Seed);
        var trainingDevices = SyntheticSceneCatalog.Devices.Where(d => !d.HeldOut).ToArray();
        var allDevices = SyntheticSceneCatalog.Devices.ToArray();
        var splits = new string[o.Clips];
        for (var scene = 0; scene < sceneCount; scene++)
        {
            var members = Enumerable.Range(0, o.Clips).Where(i => i % sceneCount == scene).ToArray();
            random.Shuffle(members);
            var test = (int)Math.Round(members.Length * o.TestFraction);
            var validation = (int)Math.Round(members.Length * o.ValidationFraction);
            for (var k = 0; k < members.Length; k++)
                splits[members[k]] = k < test ? "test" : k < test + validation ? "validation" : "train";
        }
        var plan = new ClipPlan[o.Clips];
        for (var i = 0; i < o.Clips; i++)
        {
            var scene = i % sceneCount;
            var split = splits[i];
            var device = split == "train" ? trainingDevices[random.Next(trainingDevices.Length)] : allDevices[random.Next(allDevices.Length)];
            var name = SyntheticSceneCatalog.Scenes[scene].Name;
            // A few "locations" per scene and split: recordings from one location share a group.
            plan[i] = new ClipPlan(scene, device, split, $"{name}-{split}-{random.Next(4)}", $"audio/{name}-{i:D5}-{device.Name}.wav");
        }
        return plan;
    }

    private static float[] Render(SceneSpec scene, DeviceSpec device, SyntheticSceneOptions o, Random r)
    {
        var rate = o.SampleRate;
        var n = (int)Math.Round(o.Seconds * rate);
        var background = new float[n];
        SynthesisKit.AddColouredNoise(background, r, scene.NoiseColour, 1.0);
        // A second, quieter colour so that beds of different scenes overlap.
        SynthesisKit.AddColouredNoise(background, r, r.Next(3), 0.3 + 0.4 * r.NextDouble());
        if (scene.HumHz > 0) SynthesisKit.AddHum(background, rate, scene.HumHz * (1 + 0.01 * SynthesisKit.Gaussian(r)), scene.HumLevel, r.NextDouble() * 6.28);

        var events = new float[n];
        foreach (var spec in scene.Events)
        {
            // Rates vary per clip (busy and quiet recordings of the same scene).
            var rateScale = 0.5 + r.NextDouble();
            var t = -Math.Log(1 - r.NextDouble()) / (spec.Rate * rateScale);
            while (t < o.Seconds)
            {
                var e = Event(spec, rate, r);
                SynthesisKit.Place(events, e, (int)(t * rate), Math.Pow(10, (spec.LevelDb + 4 * SynthesisKit.Gaussian(r)) / 20));
                t += -Math.Log(1 - r.NextDouble()) / (spec.Rate * rateScale);
            }
        }
        var snrDb = o.MinSnrDb + (o.MaxSnrDb - o.MinSnrDb) * r.NextDouble();
        var backgroundRms = Math.Max(1e-9, SynthesisKit.Rms(background));
        var eventRms = SynthesisKit.Rms(events);
        var eventGain = eventRms > 0 ? backgroundRms * Math.Pow(10, snrDb / 20) / eventRms : 0;
        var mix = new float[n];
        for (var i = 0; i < n; i++) mix[i] = (float)(background[i] + eventGain * events[i]);

        SynthesisKit.HighPass(mix, rate, device.HighPassHz);
        SynthesisKit.LowPass(mix, rate, Math.Min(device.LowPassHz, 0.45 * rate));
        if (device.PeakDb != 0) SynthesisKit.Peak(mix, rate, Math.Min(device.PeakHz, 0.4 * rate), device.PeakDb);
        // Overall level: random loudness plus the device gain, kept clear of clipping.
        var target = Math.Pow(10, (-26 + 6 * (r.NextDouble() - 0.5) + device.GainDb) / 20);
        var peak = mix.Max(v => Math.Abs(v));
        var gain = target / Math.Max(1e-9, SynthesisKit.Rms(mix));
        if (peak * gain > 0.98) gain = 0.98 / peak;
        for (var i = 0; i < n; i++) mix[i] = (float)(mix[i] * gain);
        return mix;
    }

    private static float[] Event(SoundEventSpec spec, int rate, Random r)
    {
        var seconds = spec.MinSeconds + (spec.MaxSeconds - spec.MinSeconds) * r.NextDouble();
        var length = Math.Max(2, (int)(seconds * rate));
        var e = new float[length];
        var f0 = spec.MinHz + (spec.MaxHz - spec.MinHz) * r.NextDouble();
        switch (spec.Kind)
        {
            case SoundEventKind.Tone:
                for (var i = 0; i < length; i++) e[i] = (float)Math.Sin(2 * Math.PI * f0 * i / rate);
                SynthesisKit.Fade(e, rate / 100);
                break;
            case SoundEventKind.Chirp:
            {
                var f1 = spec.MinHz + (spec.MaxHz - spec.MinHz) * r.NextDouble();
                var phase = 0.0;
                for (var i = 0; i < length; i++)
                {
                    phase += 2 * Math.PI * (f0 + (f1 - f0) * i / length) / rate;
                    e[i] = (float)Math.Sin(phase);
                }
                SynthesisKit.Fade(e, rate / 200);
                break;
            }
            case SoundEventKind.NoiseBurst:
                for (var i = 0; i < length; i++) e[i] = (float)SynthesisKit.Gaussian(r);
                SynthesisKit.HighPass(e, rate, Math.Max(20, f0 * 0.5));
                SynthesisKit.LowPass(e, rate, Math.Min(0.45 * rate, f0 * 2));
                SynthesisKit.Fade(e, length / 3);
                break;
            case SoundEventKind.Click:
                for (var i = 0; i < length; i++) e[i] = (float)(SynthesisKit.Gaussian(r) * Math.Exp(-6.0 * i / length));
                break;
            case SoundEventKind.HarmonicStack:
            {
                var vibrato = 3 + 4 * r.NextDouble();
                var phase = 0.0;
                for (var i = 0; i < length; i++)
                {
                    phase += 2 * Math.PI * f0 * (1 + 0.02 * Math.Sin(2 * Math.PI * vibrato * i / rate)) / rate;
                    double v = 0;
                    for (var h = 1; h <= 8 && h * f0 < 0.45 * rate; h++) v += Math.Sin(h * phase) / h;
                    e[i] = (float)v;
                }
                SynthesisKit.Fade(e, rate / 50);
                break;
            }
        }
        var rms = SynthesisKit.Rms(e);
        if (rms > 0)
            for (var i = 0; i < length; i++) e[i] = (float)(e[i] / rms);
        return e;
    }
}
