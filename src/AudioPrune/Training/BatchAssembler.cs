using AudioPrune.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace AudioPrune.Training;

/// <summary>Copies examples of an <see cref="IExampleSet"/> into reusable arrays and turns them into (N, C, H, W) tensors.</summary>
internal sealed class BatchAssembler
{
    private readonly IExampleSet set;
    private readonly int exampleSize;
    private readonly long[] exampleDims;

    public BatchAssembler(IExampleSet set, int capacity)
    {
        this.set = set;
        exampleSize = (int)set.ExampleShape.Elements;
        exampleDims = set.ExampleShape.Dims.Select(d => (long)d).ToArray();
        Features = new float[capacity * exampleSize];
        Targets = new float[capacity * set.ClassNames.Count];
        Labels = new int[capacity];
    }

    public float[] Features { get; }

    /// <summary>One-hot targets (N x classes), which mixup may blend.</summary>
    public float[] Targets { get; }

    public int[] Labels { get; }
    public int Count { get; private set; }

    /// <summary>The teacher's probabilities for the loaded examples (N x classes), when they were loaded with them.</summary>
    public float[]? TeacherTargets { get; private set; }

    /// <summary>Loads the examples at <paramref name="indices"/> and, from <paramref name="teacher"/> (example x class, flat), their teacher targets.</summary>
    public void Load(ReadOnlySpan<int> indices, float[]? teacher)
    {
        Load(indices);
        if (teacher is null) return;
        var classes = set.ClassNames.Count;
        TeacherTargets ??= new float[Targets.Length];
        for (var i = 0; i < indices.Length; i++)
            teacher.AsSpan(indices[i] * classes, classes).CopyTo(TeacherTargets.AsSpan(i * classes, classes));
    }

    public void Load(ReadOnlySpan<int> indices)
    {
        var classes = set.ClassNames.Count;
        Count = indices.Length;
        Array.Clear(Targets, 0, Count * classes);
        for (var i = 0; i < indices.Length; i++)
        {
            set.CopyFeatures(indices[i], Features.AsSpan(i * exampleSize, exampleSize));
            Labels[i] = set.Label(indices[i]);
            Targets[i * classes + Labels[i]] = 1f;
        }
    }

    public Tensor FeatureTensor() =>
        torch.tensor(Features.AsSpan(0, Count * exampleSize).ToArray(), [Count, .. exampleDims]);

    public Tensor TargetTensor() =>
        torch.tensor(Targets.AsSpan(0, Count * set.ClassNames.Count).ToArray(), [Count, set.ClassNames.Count]);

    public Tensor? TeacherTensor() => TeacherTargets is null
        ? null
        : torch.tensor(TeacherTargets.AsSpan(0, Count * set.ClassNames.Count).ToArray(), [Count, set.ClassNames.Count]);
}
