using AudioPrune.Tests.Interop;
using Google.Protobuf;
using Onnx;

namespace AudioPrune.Tests.Hostile;

/// <summary>Family: hostile ONNX files given to 'audioprune import' (paths out of the folder, huge declared sizes, huge graphs, cut files).</summary>
[Collection(HostileCollection.Name)]
[Trait("Category", "Slow")]
public sealed class OnnxImportCases
{
    private static readonly string[] Import = ["import", "m.onnx", "--out", "m.safetensors"];

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("/etc/passwd")]
    [InlineData("sub/../../m.onnx")]
    public void ExternalDataOutsideTheModelsFolderIsRefused(string location)
    {
        using var dir = new TempDirectory();
        var model = Fixture("bad/external_data.onnx");
        foreach (var entry in model.Graph.Initializer.SelectMany(t => t.ExternalData).Where(e => e.Key == "location")) entry.Value = location;
        Write(dir, model);
        HostileRun.Start(dir.Path, Import).Refused("m.onnx", location, "inside the model's folder");
    }

    [Fact]
    public void ATensorDeclaringTenToTheTwelveElementsIsRefusedBeforeAllocation()
    {
        RefusedWithChangedWeight("stem.0.weight", dims =>
        {
            dims.Clear();
            dims.AddRange([1_000_000, 1_000_000]);
        }, "limit");
    }

    [Fact]
    public void ATensorDeclaringMoreBytesThanItHoldsIsRefused()
    {
        RefusedWithChangedWeight("fc.weight", dims => dims[0] *= 4, "holds");
    }

    [Fact]
    public void AGraphOfAHundredThousandChainedNodesIsRefused()
    {
        using var dir = new TempDirectory();
        var model = Fixture("resnet_small.onnx");
        var graph = model.Graph;
        var previous = graph.Node[^1].Output[0];
        for (var i = 0; i < 100_000; i++)
        {
            var node = new NodeProto { OpType = "Relu", Name = $"/chain/Relu_{i}" };
            node.Input.Add(previous);
            node.Output.Add(previous = $"chain_{i}");
            graph.Node.Add(node);
        }
        graph.Output[0].Name = previous;
        Write(dir, model);
        HostileRun.Start(dir.Path, Import).Refused("m.onnx", "100,045 nodes", "limit");
    }

    [Theory]
    [InlineData(10)]
    [InlineData(1000)]
    public void ACutFileIsRefused(int bytes)
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("m.onnx"), File.ReadAllBytes(OnnxFixtureFiles.Onnx("concat_net"))[..bytes]);
        HostileRun.Start(dir.Path, Import).Refused("m.onnx", "ONNX model");
    }

    /// <summary>resnet_small with the dims of one initializer changed (its data left as it is) is refused naming that tensor.</summary>
    private static void RefusedWithChangedWeight(string name, Action<Google.Protobuf.Collections.RepeatedField<long>> change, string problem)
    {
        using var dir = new TempDirectory();
        var model = Fixture("resnet_small.onnx");
        change(model.Graph.Initializer.First(t => t.Name == name).Dims);
        Write(dir, model);
        HostileRun.Start(dir.Path, Import).Refused("m.onnx", name, problem);
    }

    private static ModelProto Fixture(string name) => ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(OnnxFixtureFiles.Folder, name)));

    private static void Write(TempDirectory dir, ModelProto model) => File.WriteAllBytes(dir.File("m.onnx"), model.ToByteArray());
}
