using System.Text.Json.Nodes;

namespace AudioPrune.Tests.Hostile;

/// <summary>Family: plan.json files edited by hand or by an attacker, given to --match-plan and to --plan-in.</summary>
[Collection(HostileCollection.Name)]
[Trait("Category", "Slow")]
public sealed class PlanCases
{
    public static TheoryData<string, string, string> Defects()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var flag in new[] { "--match-plan", "--plan-in" })
        {
            data.Add(flag, "empty", "keeps no filters");
            data.Add(flag, "duplicate", "listed twice");
            data.Add(flag, "negative", "outside 0..");
            data.Add(flag, "out-of-range", "outside 0..");
            data.Add(flag, "unsorted", "ascending");
            data.Add(flag, "million", "at most 65,536");
            data.Add(flag, "unknown-layer", "not a conv layer");
            data.Add(flag, "filters", "the model's layer has");
            data.Add(flag, "deep", "depth");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Defects))]
    public void DamagedPlansAreRefused(string flag, string defect, string problem)
    {
        using var dir = new TempDirectory();
        var made = CliRunner.Run("prune", "dcase21", "--method", "l1", "--layers", "conv1", "--keep", "4", "--plan", dir.File("plan.json"), "--out", dir.File("a.safetensors"));
        Assert.True(made.ExitCode == 0, made.Error);
        var plan = JsonNode.Parse(File.ReadAllText(dir.File("plan.json")))!;
        var layer = plan["layers"]![0]!;
        var text = Damage(layer, defect) ? plan.ToJsonString() : plan.ToJsonString().Replace("\"seconds\":", "\"deep\":" + new string('[', 10_000) + new string(']', 10_000) + ",\"seconds\":");
        File.WriteAllText(dir.File("plan.json"), text);
        HostileRun.Start(dir.Path, ["prune", "dcase21", "--method", "l1", flag, "plan.json", "--out", "b.safetensors"]).Refused("plan.json", problem);
    }

    /// <summary>Applies the defect to the layer; false when it is one of the whole file instead.</summary>
    private static bool Damage(JsonNode layer, string defect)
    {
        var kept = layer["kept"]!.AsArray().Select(k => (int)k!).ToArray();
        int[]? replacement = defect switch
        {
            "empty" => [],
            "duplicate" => [kept[0], kept[0], .. kept[2..]],
            "negative" => [-1, .. kept[1..]],
            "out-of-range" => [.. kept[..^1], 100_000],
            "unsorted" => [kept[1], kept[0], .. kept[2..]],
            "million" => Enumerable.Range(0, 1_000_000).ToArray(),
            _ => null,
        };
        if (replacement is not null) layer["kept"] = new JsonArray(replacement.Select(k => (JsonNode)k).ToArray());
        if (defect == "unknown-layer") layer["name"] = "conv99";
        if (defect == "filters") layer["filters"] = 100_000;
        return defect != "deep";
    }
}
