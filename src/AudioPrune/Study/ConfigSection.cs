using System.Globalization;
using AudioPrune.Common;

namespace AudioPrune.Study;

/// <summary>
/// One mapping of a YAML/JSON config file, read key by key with the line of every value at hand, so that
/// every error names the file, the line and the key. Keys nobody asked for are errors (<see cref="EnsureAllKeysUsed"/>):
/// a misspelt key must not silently fall back to a default.
/// </summary>
internal sealed class ConfigSection
{
    private readonly ConfigMapping mapping;
    private readonly HashSet<string> used = new(StringComparer.Ordinal);

    public ConfigSection(string file, string path, ConfigMapping mapping)
    {
        File = file;
        Path = path;
        this.mapping = mapping;
    }

    public string File { get; }
    public string Path { get; }
    public int Line => mapping.Line;

    /// <summary>Reads a config of at most <see cref="InputLimits.MaxConfigBytes"/> bytes (see <see cref="ConfigYaml"/> for its other limits).</summary>
    public static ConfigSection Load(string file)
    {
        var text = InputFile.ReadAllText(file, InputLimits.MaxConfigBytes, "config file");
        if (ConfigYaml.Parse(text, file) is not ConfigMapping root)
            throw UserInputException.InFile(file, "the config must be one mapping of keys to values");
        return new ConfigSection(file, "", root);
    }

    public bool Has(string key) => Find(key) is not null;

    public string String(string key) => Scalar(Required(key), key);

    public string? OptionalString(string key) => Find(key) is { } node ? Scalar(node, key) : null;

    public string String(string key, string fallback) => OptionalString(key) ?? fallback;

    public double Double(string key, double fallback, double min = double.MinValue, double max = double.MaxValue) =>
        Find(key) is { } node ? ParseDouble(node, key, min, max) : fallback;

    public int Int(string key, int fallback, int min = int.MinValue, int max = int.MaxValue) =>
        Find(key) is { } node ? ParseInt(node, key, min, max) : fallback;

    public bool Bool(string key, bool fallback)
    {
        if (Find(key) is not { } node) return fallback;
        return Scalar(node, key).ToLowerInvariant() switch
        {
            "true" or "yes" or "on" => true,
            "false" or "no" or "off" => false,
            var other => throw Error(node, key, $"'{other}' is not true or false"),
        };
    }

    public IReadOnlyList<string> Strings(string key, IReadOnlyList<string> fallback) =>
        Find(key) is { } node ? Items(node, key).Select(n => Scalar(n, key)).ToArray() : fallback;

    public IReadOnlyList<double> Doubles(string key, IReadOnlyList<double> fallback, double min = double.MinValue, double max = double.MaxValue) =>
        Find(key) is { } node ? Items(node, key).Select(n => ParseDouble(n, key, min, max)).ToArray() : fallback;

    public IReadOnlyList<int> Ints(string key, IReadOnlyList<int> fallback, int min = int.MinValue, int max = int.MaxValue) =>
        Find(key) is { } node ? Items(node, key).Select(n => ParseInt(n, key, min, max)).ToArray() : fallback;

    public ConfigSection? Section(string key) => Find(key) switch
    {
        null => null,
        ConfigMapping m => new ConfigSection(File, Qualified(key), m),
        var other => throw Error(other, key, "must be a mapping of keys to values"),
    };

    /// <summary>The entries of a mapping whose keys are names the user chose (e.g. layer sets: C1: [conv1]).</summary>
    public IReadOnlyList<(string Name, IReadOnlyList<string> Values, int Line)> NamedLists(string key)
    {
        if (Find(key) is not { } node) return [];
        if (node is not ConfigMapping m) throw Error(node, key, "must map names to lists");
        return m.Entries.Select(kv =>
        {
            var name = Scalar(kv.Key, key);
            var values = Items(kv.Value, $"{key}.{name}").Select(v => Scalar(v, $"{key}.{name}")).ToArray();
            return (name, (IReadOnlyList<string>)values, kv.Key.Line);
        }).ToArray();
    }

    /// <summary>An error at the line of <paramref name="key"/>'s value (or of this section when the key is absent).</summary>
    public UserInputException ErrorAt(string key, string problem) =>
        Find(key) is { } node ? Error(node, key, problem) : new UserInputException($"{File}:{Line}: {Qualified(key)}: {problem}");

    public void EnsureAllKeysUsed()
    {
        foreach (var (keyNode, _) in mapping.Entries)
        {
            var key = keyNode.Value;
            if (!used.Contains(key))
            {
                var known = used.Count > 0 ? $" (known here: {string.Join(", ", used.Order())})" : "";
                throw new UserInputException($"{File}:{keyNode.Line}: unknown key '{Qualified(key)}'{known}");
            }
        }
    }

    /// <summary>Marks keys as known even when absent, so the "known keys" hint lists them.</summary>
    public void Allow(params string[] keys)
    {
        foreach (var key in keys) used.Add(key);
    }

    private ConfigNode? Find(string key)
    {
        used.Add(key);
        return mapping.Find(key);
    }

    private ConfigNode Required(string key) =>
        Find(key) ?? throw new UserInputException($"{File}:{Line}: missing required key '{Qualified(key)}'");

    private string Qualified(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    private UserInputException Error(ConfigNode node, string key, string problem) =>
        new($"{File}:{node.Line}: {Qualified(key)}: {problem}");

    private string Scalar(ConfigNode node, string key) =>
        node is ConfigScalar scalar ? scalar.Value : throw Error(node, key, "must be a single value");

    private IEnumerable<ConfigNode> Items(ConfigNode node, string key) => node switch
    {
        ConfigList list => list.Items,
        ConfigScalar => [node],
        _ => throw Error(node, key, "must be a list"),
    };

    private double ParseDouble(ConfigNode node, string key, double min, double max)
    {
        var text = Scalar(node, key);
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || double.IsNaN(value))
            throw Error(node, key, $"'{text}' is not a number");
        if (value < min || value > max) throw Error(node, key, $"{text} is outside [{min}, {max}]");
        return value;
    }

    private int ParseInt(ConfigNode node, string key, int min, int max)
    {
        var text = Scalar(node, key);
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            throw Error(node, key, $"'{text}' is not a whole number");
        if (value < min || value > max) throw Error(node, key, $"{text} is outside [{min}, {max}]");
        return value;
    }
}
