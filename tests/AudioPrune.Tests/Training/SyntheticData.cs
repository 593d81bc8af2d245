using AudioPrune.Data;
using AudioPrune.Graph;
using AudioPrune.Graph.Nodes;

namespace AudioPrune.Tests.Training;

/// <summary>
/// Generated spectrogram-like examples: class c raises a band of rows (its "frequency band") above Gaussian noise,
/// so a small CNN can learn it in a few epochs. Plus small CNNs of adjustable width over that input.
/// </summary>
internal static class SyntheticData
{
    public static readonly Shape Input = new(1, 16, 20);
    public const int Classes = 4;
    public static readonly string[] ClassNames = ["low", "low_mid", "high_mid", "high"];

    /// <summary>
    /// <paramref name="perClass"/> examples of each class. <paramref name="segmentsPerClip"/> consecutive examples
    /// share a clip id. <paramref name="labelOf"/> maps the generating class to the stored label (to build a
    /// deliberately mislabelled split).
    /// </summary>
    public static InMemoryExampleSet Make(int perClass, int seed, double noise = 1.0, double signal = 1.0,
        int segmentsPerClip = 1, Func<int, int>? labelOf = null, string clipPrefix = "clip")
    {
        var random = new Random(seed);
        var features = new List<float[]>();
        var labels = new List<int>();
        var clips = new List<string>();
        var rowsPerClass = Input[1] / Classes;
        for (var c = 0; c < Classes; c++)
        {
            for (var i = 0; i < perClass; i++)
            {
                var x = new float[Input.Elements];
                for (var h = 0; h < Input[1]; h++)
                {
                    for (var w = 0; w < Input[2]; w++)
                    {
                        var band = h / rowsPerClass == c ? signal : 0;
                        x[h * Input[2] + w] = (float)(band + noise * Normal(random));
                    }
                }
                features.Add(x);
                labels.Add(labelOf?.Invoke(c) ?? c);
                clips.Add($"{clipPrefix}{c}_{i / segmentsPerClip}");
            }
        }
        return new InMemoryExampleSet(Input, ClassNames, features.ToArray(), labels.ToArray(), clips.ToArray());
    }

    public static DataSplits Splits(int seed = 7, IExampleSet? test = null) =>
        new(Make(40, seed), Make(20, seed + 1), test ?? Make(20, seed + 2));

    /// <summary>conv(width1) - bn - relu - pool - conv(width2) - bn - relu - pool - dropout - fc - softmax (or sigmoid).</summary>
    public static NetworkGraph Graph(int width1 = 8, int width2 = 8, ActivationKind head = ActivationKind.Softmax) =>
        new SequentialBuilder("tiny", Input)
            .Conv("conv1", width1, 3).BatchNorm("bn1").Relu("relu1").Pool("pool1", PoolKind.Max, Size2.Square(2))
            .Conv("conv2", width2, 3).BatchNorm("bn2").Relu("relu2").Pool("pool2", PoolKind.Max, Size2.Square(2))
            .Dropout("dropout1", 0.2).Flatten("flatten").Linear("fc", Classes).Activation("head", head)
            .Build();

    public static ModelArtifact Model(NetworkGraph graph, int seed = 3) =>
        ModelArtifact.Create(graph, WeightInitializer.Initialize(graph, seed), ClassNames);

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}

/// <summary>Reports synchronously on the trainer's thread (Progress&lt;T&gt; would post to the thread pool).</summary>
internal sealed class Reporter(Action<AudioPrune.Training.TrainingEvent> onEvent) : IProgress<AudioPrune.Training.TrainingEvent>
{
    public void Report(AudioPrune.Training.TrainingEvent value) => onEvent(value);
}
