using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using AudioPrune.Common;
using AudioPrune.Graph;
using AudioPrune.Interop;
using AudioPrune.Interop.Onnx;
using AudioPrune.Pruning.Planning;
using AudioPrune.Tests.Pruning.Groups;

namespace AudioPrune.Tests.Docs;

/// <summary>
/// docs/formats.md and docs/method.md stay true to the code: the metadata keys the program writes, the fields of the
/// plan.json the planner writes, the graph's node types and the criteria are each listed, taken from the code itself
/// (constants by reflection, files the program really writes), never from a list kept here.
/// </summary>
public sealed partial class FormatsDocTests
{
    private static readonly string Formats = File.ReadAllText(RepositoryFiles.Path("docs/formats.md"));
    private static readonly string Method = File.ReadAllText(RepositoryFiles.Path("docs/method.md"));

    private static readonly HashSet<string> ArtifactKeys = Fields(Formats, "Metadata keys");
    private static readonly HashSet<string> OnnxKeys = Fields(Formats, "metadata_props");

    // ---- metadata keys ----

    /// <summary>
    /// Every metadata key constant: the non-private string constants named *Key of the library (ModelArtifact's,
    /// OnnxExporter's, PrunedModel's, and any added later). Private *Key constants are local details (TorchSharp
    /// autograd context slots, a field inside the provenance JSON) and are not metadata keys. The ONNX code's keys
    /// belong in the metadata_props table, all others in the artifact's table.
    /// </summary>
    public static TheoryData<string, string, bool> KeyConstants()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (var type in typeof(ModelArtifact).Assembly.GetTypes())
        {
            foreach (var field in type.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (field is { IsLiteral: true, IsPrivate: false } && field.FieldType == typeof(string) && field.Name.EndsWith("Key", StringComparison.Ordinal))
                    data.Add($"{type.Name}.{field.Name}", (string)field.GetRawConstantValue()!, type.Namespace == typeof(OnnxExporter).Namespace);
            }
        }
        return data;
    }

    [Fact]
    public void The_key_constants_are_found()
    {
        var constants = KeyConstants().Select(row => (string)row[0]).ToArray();
        Assert.Contains("ModelArtifact.FrontEndKey", constants);
        Assert.Contains("OnnxExporter.GraphKey", constants);
        Assert.Contains("PrunedModel.MetadataKey", constants);
        Assert.True(constants.Length >= 10, string.Join(", ", constants));
    }

    [Theory]
    [MemberData(nameof(KeyConstants))]
    public void Every_metadata_key_constant_is_listed_in_formats_md(string constant, string key, bool onnx) =>
        Assert.True((onnx ? OnnxKeys : ArtifactKeys).Contains(key),
            $"{constant} = \"{key}\" is not in the '{(onnx ? "metadata_props" : "Metadata keys")}' table of docs/formats.md");

    [Fact]
    public void Every_key_of_a_real_artifact_is_listed_in_formats_md()
    {
        using var folder = new TempDirectory();
        var path = folder.File("pruned.safetensors");
        PrunedArtifact().Save(path);
        var keys = SafetensorsFile.ReadMetadata(path).Keys.ToArray();
        Assert.Contains(ModelArtifact.ProvenanceKey, keys);
        Assert.Contains(PrunedModel.MetadataKey, keys);
        Assert.All(keys, key => Assert.True(ArtifactKeys.Contains(key), $"the artifact's metadata key '{key}' is not in the 'Metadata keys' table of docs/formats.md"));
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public void Every_metadata_prop_of_a_real_onnx_export_is_listed_in_formats_md(bool foldBatchNorm, bool probabilities)
    {
        var proto = OnnxExporter.Build(PrunedArtifact(), new OnnxExportOptions(FoldBatchNorm: foldBatchNorm, IncludeProbabilityHead: probabilities));
        var keys = proto.MetadataProps.Select(p => p.Key).ToArray();
        Assert.Contains(OnnxExporter.GraphKey, keys);
        Assert.True(keys.Length >= 7, string.Join(", ", keys));
        Assert.All(keys, key => Assert.True(OnnxKeys.Contains(key), $"the ONNX metadata_props key '{key}' is not in the 'metadata_props' table of docs/formats.md"));
    }

    [Fact]
    public void The_onnx_input_and_output_names_are_the_exporters()
    {
        var table = Section(Formats, "Input and output");
        Assert.Contains($"| `{OnnxExporter.InputName}` |", table);
        Assert.Contains($"| `{OnnxExporter.OutputName}` |", table);
        Assert.Contains($"`{OnnxExporter.BatchParam}`", table);
        Assert.Contains($"Opset {OnnxExportOptions.DefaultOpset} by default (`--opset` {OnnxExportOptions.MinOpset} to {OnnxExportOptions.MaxOpset})", table);
    }

    /// <summary>dcase21 with zoo weights, pruned by l1: an artifact with provenance, front end and pruning record.</summary>
    private static ModelArtifact PrunedArtifact()
    {
        var source = ModelLoader.Load("dcase21");
        var result = PruningPlanner.Run(source.Graph, source.Weights, new PruningRequest { Method = "l1", Ratio = 0.5 });
        return PrunedModel.Create(source, result);
    }

    // ---- plan.json ----

    [Fact]
    public void The_plan_fields_in_formats_md_are_the_ones_the_planner_writes()
    {
        var plans = RealPlans();
        var layers = plans.SelectMany(p => p.GetProperty("layers").EnumerateArray()).ToArray();
        AssertSameFields("Top-level fields", Fields(Formats, "Top-level fields"), plans, typeof(PruningPlan));
        AssertSameFields("`options` fields", Fields(Formats, "`options` fields"), plans.Select(p => p.GetProperty("options")).ToArray(), typeof(PlanOptions));
        AssertSameFields("Per-layer fields", Fields(Formats, "Per-layer fields"), layers, typeof(LayerDecision));

        // The fields of the nested objects are named in their parent's row.
        var topRows = Rows(Formats, "Top-level fields");
        var layerRows = Rows(Formats, "Per-layer fields");
        AssertNamedInRow(topRows, "before", plans.Select(p => p.GetProperty("before")));
        AssertNamedInRow(topRows, "reduction", plans.Select(p => p.GetProperty("reduction")));
        foreach (var nested in new[] { "nystrom", "group", "closest_pair_histogram" })
            AssertNamedInRow(layerRows, nested, layers.Where(l => l.TryGetProperty(nested, out _)).Select(l => l.GetProperty(nested)));
    }

    [Fact]
    public void The_plan_example_in_formats_md_reads_as_a_plan()
    {
        var example = JsonBlocks(Formats).Single(b => b.Contains("\"format\": \"audioprune-plan/", StringComparison.Ordinal));
        using var folder = new TempDirectory();
        var path = folder.File("plan.json");
        File.WriteAllText(path, example);
        var plan = PlanFile.Read(path);
        Assert.Equal(PruningPlan.Format2, plan.Format);
        Assert.Contains(plan.Layers, l => l.Group is not null);
        using var json = JsonDocument.Parse(example);
        Assert.Subset(Fields(Formats, "Top-level fields"), Names(json.RootElement));
        Assert.Subset(Fields(Formats, "Per-layer fields"), json.RootElement.GetProperty("layers").EnumerateArray().SelectMany(Names).ToHashSet());
    }

    /// <summary>
    /// Plans the planner really writes, between them holding every field: similarity with distances on weights with a
    /// zero and a degenerate filter and rounded counts, Nystrom with its error, a coupled network, --match-plan and
    /// --plan-in on other weights.
    /// </summary>
    private static JsonElement[] RealPlans()
    {
        var dcase = ModelLoader.Load("dcase21");
        var weights = dcase.Weights;
        var conv2 = weights["conv2.weight"];
        var filterLength = conv2.Data.Length / conv2.Shape[0];
        var taps = conv2.Shape[2] * conv2.Shape[3];
        Array.Clear(conv2.Data, 0, filterLength);           // filter 0 all zero
        Array.Clear(conv2.Data, filterLength, taps);        // filter 1's channel 0 zero: V[0, 0] = 0
        var similarity = PruningPlanner.Run(dcase.Graph, weights, new PruningRequest { Method = "similarity", IncludeDistances = true, RoundTo = 3 }).Plan;
        var nystrom = PruningPlanner.Run(dcase.Graph, weights, new PruningRequest
        {
            Method = "nystrom", Ratio = 0.25,
            Criterion = new CriterionOptions { Landmarks = 9, Rank = 5, LandmarkChoice = LandmarkChoice.Farthest, NystromError = true },
        }).Plan;
        var coupled = CoupledNetworks.Create("identity_residual");
        var grouped = PruningPlanner.Run(coupled, CoupledNetworks.Weights(coupled, 2), new PruningRequest { Method = "l1", Keep = [4] }).Plan;
        var matched = PruningPlanner.Run(dcase.Graph, weights, new PruningRequest { Method = "gm", MatchPlan = nystrom, MatchPlanPath = "nystrom.json" }).Plan;
        var reapplied = PruningPlanner.Run(dcase.Graph, WeightInitializer.Initialize(dcase.Graph, 9),
            new PruningRequest { PlanIn = similarity, PlanInPath = "similarity.json" }).Plan;

        using var folder = new TempDirectory();
        return new[] { similarity, nystrom, grouped, matched, reapplied }.Select((plan, i) =>
        {
            var path = folder.File($"plan{i}.json");
            PlanFile.Write(path, plan);
            using var json = JsonDocument.Parse(File.ReadAllText(path));
            return json.RootElement.Clone();
        }).ToArray();
    }

    /// <summary>
    /// The documented fields are exactly the ones the serializer writes for the type, every one of them appears in a
    /// real plan, and a real plan has no other.
    /// </summary>
    private static void AssertSameFields(string table, HashSet<string> documented, IReadOnlyList<JsonElement> written, Type type)
    {
        Assert.NotEmpty(documented);
        var real = written.SelectMany(Names).ToHashSet(StringComparer.Ordinal);
        var serialized = ReportJson.Options.GetTypeInfo(type).Properties.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        Assert.True(serialized.SetEquals(documented),
            $"docs/formats.md '{table}': documented [{string.Join(", ", documented.Order())}], the serializer writes [{string.Join(", ", serialized.Order())}]");
        Assert.True(real.SetEquals(documented),
            $"docs/formats.md '{table}': documented [{string.Join(", ", documented.Order())}], real plans hold [{string.Join(", ", real.Order())}]");
    }

    private static void AssertNamedInRow(IReadOnlyDictionary<string, string> rows, string field, IEnumerable<JsonElement> values)
    {
        var names = values.SelectMany(Names).ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(names);
        Assert.True(rows.TryGetValue(field, out var row), $"no row for '{field}'");
        Assert.All(names, name => Assert.True(row.Contains($"`{name}`", StringComparison.Ordinal), $"the row of '{field}' in docs/formats.md does not name `{name}`"));
    }

    private static HashSet<string> Names(JsonElement element) =>
        element.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);

    // ---- graph JSON ----

    [Fact]
    public void The_graph_node_types_in_formats_md_are_the_graphs()
    {
        var ops = typeof(Node).GetCustomAttributes<JsonDerivedTypeAttribute>().Select(a => (string)a.TypeDiscriminator!).ToHashSet(StringComparer.Ordinal);
        var documented = Fields(Formats, "Node types");
        Assert.True(ops.SetEquals(documented), $"documented [{string.Join(", ", documented.Order())}], the graph has [{string.Join(", ", ops.Order())}]");
    }

    [Fact]
    public void The_graph_example_in_formats_md_parses()
    {
        var example = JsonBlocks(Formats).Single(b => b.Contains($"\"format\": \"{GraphJson.Format}\"", StringComparison.Ordinal));
        var graph = GraphJson.Parse(example, "docs/formats.md");
        Assert.Equal([3], graph.OutputShape.ToArray());
    }

    // ---- criteria ----

    public static TheoryData<string> CriterionNames() => new(CriterionCatalog.Names);

    [Theory]
    [MemberData(nameof(CriterionNames))]
    public void Every_criterion_has_an_entry_in_method_md(string name)
    {
        var section = Section(Method, "Criteria and surgery as implemented");
        Assert.True(Regex.IsMatch(section, $@"^###+ `{Regex.Escape(name)}`", RegexOptions.Multiline),
            $"docs/method.md 'Criteria and surgery as implemented' has no heading for criterion `{name}`");
    }

    // ---- reading the documents ----

    /// <summary>The text from the heading "## title" (any level, an optional "1.2" number before it) to the next heading of its level or higher.</summary>
    private static string Section(string document, string title)
    {
        var lines = document.Split('\n');
        var start = Array.FindIndex(lines, l => HeadingTitle(l) is { } t && t.Title == title);
        Assert.True(start >= 0, $"no heading '{title}'");
        var level = HeadingTitle(lines[start])!.Value.Level;
        var end = Array.FindIndex(lines, start + 1, l => HeadingTitle(l) is { } t && t.Level <= level);
        return string.Join('\n', lines[start..(end < 0 ? lines.Length : end)]);
    }

    private static (int Level, string Title)? HeadingTitle(string line)
    {
        var match = Heading().Match(line.TrimEnd('\r'));
        return match.Success ? (match.Groups["hashes"].Length, match.Groups["title"].Value) : null;
    }

    /// <summary>The rows of the first table under a heading: each name in backticks in the first cell, with the whole row.</summary>
    private static Dictionary<string, string> Rows(string document, string title)
    {
        var rows = new Dictionary<string, string>(StringComparer.Ordinal);
        var table = Section(document, title).Split('\n').Select(l => l.TrimEnd('\r'))
            .SkipWhile(l => !l.StartsWith('|')).TakeWhile(l => l.StartsWith('|')).Skip(2);
        foreach (var row in table)
        {
            var first = row.Split('|')[1];
            foreach (Match name in Regex.Matches(first, "`([^`]+)`")) rows[name.Groups[1].Value] = row;
        }
        Assert.True(rows.Count > 0, $"no table rows under '{title}'");
        return rows;
    }

    private static HashSet<string> Fields(string document, string title) => Rows(document, title).Keys.ToHashSet(StringComparer.Ordinal);

    private static IEnumerable<string> JsonBlocks(string document) =>
        Regex.Matches(document, "^```json\\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline).Select(m => m.Groups[1].Value);

    [GeneratedRegex(@"^(?<hashes>#{1,6}) (\d+(\.\d+)*\.? )?(?<title>.+)$")]
    private static partial Regex Heading();
}
