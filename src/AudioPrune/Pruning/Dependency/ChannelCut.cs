namespace AudioPrune.Pruning.Dependency;

/// <summary>The units that stay in every tensor after the chosen groups lose their pruned channels.</summary>
internal sealed class ChannelCut(IReadOnlyDictionary<string, int[]> kept, Func<string, int> units)
{
    /// <summary>Kept units of a tensor, ascending; null when it keeps them all.</summary>
    public int[]? Kept(string tensor) => kept.GetValueOrDefault(tensor);

    /// <summary>How many units of the tensor stay.</summary>
    public int KeptCount(string tensor) => kept.TryGetValue(tensor, out var k) ? k.Length : units(tensor);

    public bool Changes(string tensor) => kept.ContainsKey(tensor);
}
