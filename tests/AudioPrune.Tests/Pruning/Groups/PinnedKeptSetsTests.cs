using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using AudioPrune.Interop.Onnx.Import;
using AudioPrune.Pruning.Dependency;
using AudioPrune.Pruning.Planning;
using AudioPrune.Tests.Interop;

namespace AudioPrune.Tests.Pruning.Groups;

/// <summary>
/// The groups, kept sets and pruned weights of an imported mobilenet_v2 are pinned as digests, recorded before the
/// group analysis, group importance and surgery were optimised: any change in what is found, kept or cut fails here.
/// </summary>
public sealed class PinnedKeptSetsTests
{
    private const string Network = "mobilenet_v2_small";

    public static TheoryData<string, string, string> Cases() => new()
    {
        { "similarity", "1A93CA9519F8B54E", "65CDFF848EB51B47" },
        { "nystrom", "1A93CA9519F8B54E", "65CDFF848EB51B47" },
        { "l1", "4011A41DCF77032C", "0595E25AC3E3CF64" },
        { "fpgm", "F4356EC8B2235B09", "9261C85A32717F03" },
    };

    [Fact]
    public void TheGroupsAreThePinnedOnes()
    {
        var model = OnnxImporter.Import(OnnxFixtureFiles.Onnx(Network));
        var groups = ChannelDependency.Analyse(model.Graph);
        var text = new StringBuilder();
        foreach (var g in groups.All)
        {
            text.Append($"{g.Name}|{g.Channels}|{g.WhyNot}|{string.Join(';', g.Sources.Select(s => $"{s.Conv.Name}={string.Join(',', s.Filters)}"))}|");
            text.Append(string.Join(';', g.Tensors.Select(t => $"{t.Tensor}={string.Join(',', t.Units.Select(u => string.Join('+', u)))}")));
            text.AppendLine($"|{string.Join(';', g.Parameters.Select(p => $"{p.Tensor}:{p.Parameter}:{p.Axis}"))}");
        }
        Assert.Equal("84306BE4DD8186FF", Digest(text.ToString()));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void KeptSetsAndPrunedWeightsAreThePinnedOnes(string method, string kept, string weights)
    {
        var model = OnnxImporter.Import(OnnxFixtureFiles.Onnx(Network));
        var result = PruningPlanner.Run(model.Graph, model.Weights, new PruningRequest
        {
            Method = method,
            Ratio = method is "similarity" or "nystrom" ? null : 0.3,
            Criterion = new CriterionOptions { Seed = 3 },
        });
        var keptText = string.Join('\n', result.Plan.Layers.Select(l => $"{l.Name}:{string.Join(',', l.Kept)}"));
        var weightText = string.Join('\n', result.Weights.Entries.Select(e =>
            $"{e.Key}:{string.Join('x', e.Value.Shape)}:{Convert.ToHexString(SHA256.HashData(MemoryMarshal.AsBytes(e.Value.Data.AsSpan())))}"));
        Assert.Equal(kept, Digest(keptText));
        Assert.Equal(weights, Digest(weightText));
    }

    private static string Digest(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
}
