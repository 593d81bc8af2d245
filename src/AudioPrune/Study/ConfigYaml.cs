using AudioPrune.Common;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace AudioPrune.Study;

/// <summary>
/// Reads a YAML (or JSON) config into <see cref="ConfigNode"/>s from YamlDotNet's event stream, with an explicit
/// stack instead of recursion and counters instead of trust: nesting deeper than <see cref="InputLimits.MaxNestingDepth"/>,
/// more than <see cref="InputLimits.MaxYamlAliases"/> aliases, more than <see cref="InputLimits.MaxYamlExpandedNodes"/>
/// nodes once aliases are expanded, keys that are not plain values and keys given twice are refused with the file
/// and line. Aliases are shared, never copied, so nothing grows with the expansion.
/// </summary>
internal sealed class ConfigYaml
{
    private readonly string file;
    private readonly Stack<ConfigNode> open = new();
    private readonly Dictionary<ConfigMapping, ConfigScalar> pendingKeys = [];
    private readonly Dictionary<string, ConfigNode> anchors = new(StringComparer.Ordinal);
    private readonly Dictionary<ConfigNode, string> pendingAnchors = [];
    private ConfigNode? root;
    private int aliases;
    private long expanded;

    private ConfigYaml(string file) => this.file = file;

    /// <summary>The documents' root node; <paramref name="file"/> names the file in errors.</summary>
    public static ConfigNode? Parse(string text, string file)
    {
        var reader = new ConfigYaml(file);
        var parser = new Parser(new StringReader(text));
        try
        {
            while (parser.MoveNext()) reader.Add(parser.Current!);
        }
        catch (YamlException e)
        {
            throw new UserInputException($"{file}:{e.Start.Line}: not valid YAML or JSON: {e.Message.ReplaceLineEndings(" ")}");
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet's scanner reports some malformed input (e.g. a stray character in a flow sequence) this way.
            throw UserInputException.InFile(file, $"not valid YAML or JSON (malformed structure: {e.Message.ReplaceLineEndings(" ")})");
        }
        return reader.root;
    }

    private void Add(ParsingEvent e)
    {
        switch (e)
        {
            case Scalar s:
                Insert(Anchored(s.Anchor, new ConfigScalar(Line(e), s.Value)), e);
                break;
            case SequenceStart start:
                Open(new ConfigList(Line(e)), start.Anchor, e);
                break;
            case MappingStart start:
                Open(new ConfigMapping(Line(e)), start.Anchor, e);
                break;
            case SequenceEnd or MappingEnd:
                Close(e);
                break;
            case AnchorAlias alias:
                InsertAlias(alias);
                break;
        }
    }

    private void Open(ConfigNode node, AnchorName anchor, ParsingEvent e)
    {
        if (open.Count >= InputLimits.MaxNestingDepth)
            throw Refuse(e, $"lists and mappings nest deeper than {InputLimits.MaxNestingDepth} levels");
        Count(1, e);
        if (!anchor.IsEmpty) pendingAnchors[node] = anchor.Value;
        open.Push(node);
    }

    private void Close(ParsingEvent e)
    {
        var node = open.Pop();
        if (pendingAnchors.Remove(node, out var anchor)) anchors[anchor] = node;
        Insert(node, e, counted: true);
    }

    private void InsertAlias(AnchorAlias alias)
    {
        if (++aliases > InputLimits.MaxYamlAliases)
            throw Refuse(alias, $"more than {InputLimits.MaxYamlAliases} aliases");
        if (!anchors.TryGetValue(alias.Value.Value, out var target))
            throw Refuse(alias, $"alias *{alias.Value.Value} names no earlier anchor");
        if (open.Count + target.Height > InputLimits.MaxNestingDepth)
            throw Refuse(alias, $"alias *{alias.Value.Value} makes lists and mappings nest deeper than {InputLimits.MaxNestingDepth} levels");
        Count(target.Size, alias);
        Insert(target, alias, counted: true);
    }

    private ConfigNode Anchored(AnchorName anchor, ConfigNode node)
    {
        if (!anchor.IsEmpty) anchors[anchor.Value] = node;
        return node;
    }

    private void Count(long nodes, ParsingEvent e)
    {
        expanded += nodes;
        if (expanded > InputLimits.MaxYamlExpandedNodes)
            throw Refuse(e, $"more than {InputLimits.MaxYamlExpandedNodes:N0} values once aliases are expanded");
    }

    /// <summary>Adds a finished node to the list or mapping being read (or makes it the root).</summary>
    private void Insert(ConfigNode node, ParsingEvent e, bool counted = false)
    {
        if (!counted) Count(1, e);
        if (!open.TryPeek(out var parent))
        {
            if (root is not null) throw UserInputException.InFile(file, "the config must be one mapping of keys to values (it holds several documents)");
            root = node;
            return;
        }
        parent.Size += node.Size;
        parent.Height = Math.Max(parent.Height, node.Height + 1);
        if (parent is ConfigList list) list.ItemList.Add(node);
        else AddEntry((ConfigMapping)parent, node, e);
    }

    private void AddEntry(ConfigMapping mapping, ConfigNode node, ParsingEvent e)
    {
        if (pendingKeys.Remove(mapping, out var key))
        {
            mapping.EntryList.Add((key, node));
            mapping.ByKey[key.Value] = node;
            return;
        }
        if (node is not ConfigScalar scalar) throw Refuse(e, "a mapping key must be a plain value, not a list or mapping");
        if (mapping.ByKey.ContainsKey(scalar.Value)) throw Refuse(e, $"key '{scalar.Value}' is given twice in one mapping");
        pendingKeys[mapping] = scalar;
    }

    private static int Line(ParsingEvent e) => (int)e.Start.Line;

    private UserInputException Refuse(ParsingEvent e, string problem) =>
        new($"{file}:{e.Start.Line}: {problem} (line {e.Start.Line}, column {e.Start.Column})");
}
