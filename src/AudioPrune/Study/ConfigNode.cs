namespace AudioPrune.Study;

/// <summary>One value of a config file (a scalar, a list or a mapping) and the line it starts on.</summary>
internal abstract class ConfigNode(int line)
{
    public int Line { get; } = line;

    /// <summary>Nodes in this subtree, counting every alias as the subtree it names.</summary>
    internal long Size { get; set; } = 1;

    /// <summary>Levels of lists and mappings in this subtree (0 for a scalar).</summary>
    internal int Height { get; set; }
}

internal sealed class ConfigScalar(int line, string value) : ConfigNode(line)
{
    public string Value { get; } = value;
}

internal sealed class ConfigList(int line) : ConfigNode(line)
{
    internal List<ConfigNode> ItemList { get; } = [];
    public IReadOnlyList<ConfigNode> Items => ItemList;
}

/// <summary>A mapping with plain-value keys, in file order (keys are distinct).</summary>
internal sealed class ConfigMapping(int line) : ConfigNode(line)
{
    internal List<(ConfigScalar Key, ConfigNode Value)> EntryList { get; } = [];
    internal Dictionary<string, ConfigNode> ByKey { get; } = new(StringComparer.Ordinal);
    public IReadOnlyList<(ConfigScalar Key, ConfigNode Value)> Entries => EntryList;

    public ConfigNode? Find(string key) => ByKey.GetValueOrDefault(key);
}
