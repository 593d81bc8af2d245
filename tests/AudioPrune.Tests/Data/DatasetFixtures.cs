using AudioPrune.Audio;

namespace AudioPrune.Tests.Data;

/// <summary>Small on-disk datasets in each supported layout, with short generated recordings.</summary>
internal static class DatasetFixtures
{
    /// <summary>A fast front end for tests: DCASE framing on half-second clips.</summary>
    public static FrontEndSettings Settings { get; } = FrontEndSettings.Dcase2021 with { ClipSeconds = 0.5, ExampleFrames = 25 };

    public static void Wav(string root, string relative, int seed, double seconds = 0.3, int rate = 22050)
    {
        var random = new Random(seed);
        var hz = 200 + 100 * (seed % 20);
        var samples = Enumerable.Range(0, (int)(seconds * rate))
            .Select(i => (float)(0.3 * Math.Sin(2 * Math.PI * hz * i / rate) + 0.05 * (random.NextDouble() - 0.5))).ToArray();
        WavWriter.WriteMono(Path.Combine(root, relative), rate, samples);
    }

    /// <summary>A manifest dataset: classes a/b/c, <paramref name="perClass"/> files each, optional columns.</summary>
    public static string Manifest(string root, int perClass = 6, bool splitColumn = false, bool groups = false)
    {
        var lines = new List<string> { "filename,label" + (splitColumn ? ",split" : "") + (groups ? ",group" : "") };
        var index = 0;
        foreach (var label in new[] { "a", "b", "c" })
            for (var i = 0; i < perClass; i++, index++)
            {
                var name = $"clips/{label}{i}.wav";
                Wav(root, name, index);
                var split = (i % 3) switch { 0 => "test", 1 => "validation", _ => "train" };
                if (i >= 3) split = "train";
                lines.Add(name + "," + label + (splitColumn ? "," + split : "") + (groups ? $",g{label}{i / 2}" : ""));
            }
        var path = Path.Combine(root, "manifest.csv");
        File.WriteAllLines(path, lines);
        return path;
    }

    public static void Tau(string root)
    {
        var meta = new List<string> { "filename\tscene_label\tidentifier\tsource_label" };
        var train = new List<string> { "filename\tscene_label" };
        var evaluate = new List<string> { "filename\tscene_label" };
        var index = 0;
        foreach (var scene in new[] { "airport", "park" })
            for (var location = 0; location < 4; location++)
                for (var segment = 0; segment < 2; segment++, index++)
                {
                    var name = $"audio/{scene}-lisbon-{location}-{segment}-a.wav";
                    Wav(root, name, index);
                    meta.Add($"{name}\t{scene}\tlisbon-{location}\ta");
                    (location == 3 ? evaluate : train).Add($"{name}\t{scene}");
                }
        File.WriteAllLines(Path.Combine(root, "meta.csv"), meta);
        Directory.CreateDirectory(Path.Combine(root, "evaluation_setup"));
        File.WriteAllLines(Path.Combine(root, "evaluation_setup", "fold1_train.csv"), train);
        File.WriteAllLines(Path.Combine(root, "evaluation_setup", "fold1_evaluate.csv"), evaluate);
        File.WriteAllLines(Path.Combine(root, "evaluation_setup", "fold1_test.csv"), evaluate.Select(l => l.Split('\t')[0]));
    }

    public static void Esc50(string root)
    {
        var lines = new List<string> { "filename,fold,target,category,esc10,src_file,take" };
        var index = 0;
        for (var fold = 1; fold <= 5; fold++)
            foreach (var (category, target) in new[] { ("dog", 0), ("rain", 10) })
            {
                var name = $"{fold}-{100 + index}-A-{target}.wav";
                Wav(root, "audio/" + name, index++);
                lines.Add($"{name},{fold},{target},{category},True,{100 + index},A");
            }
        Directory.CreateDirectory(Path.Combine(root, "meta"));
        File.WriteAllLines(Path.Combine(root, "meta", "esc50.csv"), lines);
    }

    public static void UrbanSound8K(string root)
    {
        var lines = new List<string> { "slice_file_name,fsID,start,end,salience,fold,classID,class" };
        var index = 0;
        for (var fold = 1; fold <= 4; fold++)
            foreach (var (name, id) in new[] { ("siren", 8), ("dog_bark", 3) })
            {
                var file = $"{1000 + index}-0-0-{index}.wav";
                Wav(root, $"audio/fold{fold}/{file}", index++);
                lines.Add($"{file},{1000 + index},0,1,1,{fold},{id},{name}");
            }
        Directory.CreateDirectory(Path.Combine(root, "metadata"));
        File.WriteAllLines(Path.Combine(root, "metadata", "UrbanSound8K.csv"), lines);
    }

    public static void ClassFolders(string root)
    {
        var index = 0;
        foreach (var label in new[] { "cat", "cow", "owl" })
            for (var i = 0; i < 5; i++) Wav(root, $"{label}/{i}.wav", index++);
    }
}
