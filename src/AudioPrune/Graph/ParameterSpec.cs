namespace AudioPrune.Graph;

/// <summary>
/// One tensor a node owns. Its full name is "node.suffix" (PyTorch state_dict naming, e.g. "conv1.weight").
/// Running statistics of batch normalisation are parameters that are not trained.
/// </summary>
internal sealed record ParameterSpec(string Suffix, int[] Shape, bool Trainable = true)
{
    public long Elements => Shape.Aggregate(1L, (a, d) => a * d);
    public string FullName(string nodeName) => $"{nodeName}.{Suffix}";
}
