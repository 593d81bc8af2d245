using AudioPrune.Interop;
using AudioPrune.Pruning;
using AudioPrune.Pruning.Planning;
using BenchmarkDotNet.Attributes;

namespace AudioPrune.Bench.Micro;

/// <summary>
/// Scoring one VGGish_Net conv layer (seed-0 zoo weights, as in the importance benchmark) and choosing its kept
/// filters with the criterion's own count: weight check, prototypes, distances, nearest neighbours, greedy pass.
/// </summary>
[MemoryDiagnoser]
public class LayerImportanceBenchmarks
{
    private AudioPrune.Graph.TensorData weight = null!;
    private int layerIndex;
    private IFilterImportance criterion = null!;

    [Params("conv1", "conv2", "conv3_1", "conv3_2", "conv4_1", "conv4_2")]
    public string Layer { get; set; } = "conv4_2";

    [Params("similarity", "nystrom")]
    public string Criterion { get; set; } = "similarity";

    [GlobalSetup]
    public void Setup()
    {
        var artifact = ModelLoader.Load("vggish", seed: 0);
        var layers = artifact.Graph.ConvLayers.Select(c => c.Name).ToList();
        weight = artifact.Weights[$"{Layer}.weight"];
        layerIndex = layers.IndexOf(Layer);
        criterion = CriterionCatalog.Create(Criterion, new CriterionOptions());
    }

    [Benchmark]
    public int ScoreAndSelect() => criterion.Score(new FilterBank(Layer, weight, layerIndex)).Kept(null).Length;
}
