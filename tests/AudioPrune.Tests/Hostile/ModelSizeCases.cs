using System.Buffers.Binary;
using System.Text;
using AudioPrune.Graph;
using AudioPrune.Graph.Nodes;
using AudioPrune.Interop;
using AudioPrune.Tests.Interop;
using PureHDF;

namespace AudioPrune.Tests.Hostile;

/// <summary>Family: models whose declared sizes or numbers are hostile (huge layers, never-written datasets, bad statistics).</summary>
[Collection(HostileCollection.Name)]
[Trait("Category", "Slow")]
public sealed class ModelSizeCases
{
    private const string HugeConv = """
        {"format": "audioprune-graph/1", "name": "g", "input": [1, 8, 8], "nodes": [
          {"op": "conv2d", "name": "conv1", "inputs": ["input"], "in_channels": 1, "out_channels": 1073741824, "kernel": 3},
          {"op": "global_pool", "name": "pool", "inputs": ["conv1"], "kind": "avg", "axes": [1, 2]}]}
        """;

    [Theory]
    [InlineData("inspect", "g.json")]
    [InlineData("prune", "g.json", "--method", "l1", "--ratio", "0.5", "--out", "o.safetensors")]
    [InlineData("export", "g.json", "--onnx", "o.onnx")]
    public void AConvWithTwoToTheThirtyFiltersIsRefusedNamingTheLayer(params string[] args)
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("g.json"), HugeConv);
        HostileRun.Start(dir.Path, args).Refused("g.json", "conv1");
    }

    [Fact]
    public void AHugeInputShapeIsRefused()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("g.json"), HugeConv.Replace("[1, 8, 8]", "[1, 2000000000, 2000000000]").Replace("1073741824", "4"));
        HostileRun.Start(dir.Path, ["inspect", "g.json"]).Refused("g.json", "input");
    }

    [Fact]
    public void AGraphNestedThirtyThousandDeepIsRefused()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("g.json"), "{\"format\": \"audioprune-graph/1\", \"input\": " + new string('[', 30_000) + new string(']', 30_000) + "}");
        HostileRun.Start(dir.Path, ["inspect", "g.json"]).Refused("g.json", "not a valid graph");
    }

    [Fact]
    public void ANeverWrittenChunkedKerasDatasetIsRefusedFromItsDeclaredSize()
    {
        using var dir = new TempDirectory();
        var config = """
            {"class_name": "Sequential", "config": {"name": "s", "layers": [
              {"class_name": "Dense", "config": {"name": "dense", "units": 30000, "use_bias": false, "batch_input_shape": [null, 30000]}}]}}
            """;
        // A small chunked dataset, written, whose declared size is then raised to 30000 x 30000 in the file's dataspace:
        // the chunks beyond the written ones exist only as a declaration.
        var kernel = new H5Dataset(new float[37 * 41], chunks: [37, 41], fileDims: [37, 41]);
        var layer = new H5Group { ["dense"] = new H5Group { ["kernel:0"] = kernel } };
        layer.Attributes = new Dictionary<string, object> { ["weight_names"] = new[] { "dense/kernel:0" } };
        var file = new H5File
        {
            Attributes = new Dictionary<string, object> { ["model_config"] = config, ["keras_version"] = "2.3.0" },
            ["model_weights"] = new H5Group
            {
                Attributes = new Dictionary<string, object> { ["layer_names"] = new[] { "dense" }, ["keras_version"] = "2.3.0" },
                ["dense"] = layer,
            },
        };
        file.Write(dir.File("m.h5"));
        var bytes = File.ReadAllBytes(dir.File("m.h5"));
        var declared = Dims(37, 41);
        var at = bytes.AsSpan().IndexOf(declared);
        Assert.True(at > 0 && bytes.AsSpan(at + 1).IndexOf(declared) < 0, "the dataspace's dimensions occur once");
        Dims(30000, 30000).CopyTo(bytes, at);
        File.WriteAllBytes(dir.File("m.h5"), bytes);
        HostileRun.Start(dir.Path, ["inspect", "m.h5"]).Refused("m.h5", "dense", "declares [30000, 30000]");
    }

    [Theory]
    [InlineData("""{"w": {"dtype": "F32", "shape": [2147483647, 2147483647], "data_offsets": [0, 4]}}""", "'w'")]
    [InlineData("""{"w": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}, "w": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}""", "w")]
    [InlineData("""{"__metadata__": {"a": "b"}, "w": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4], "x": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}}""", "depth")]
    public void HostileSafetensorsHeadersAreRefused(string header, string mention)
    {
        using var dir = new TempDirectory();
        WriteSafetensors(dir.File("m.safetensors"), header, new byte[4]);
        HostileRun.Start(dir.Path, ["import", "m.safetensors", "--graph", "dcase21", "--out", "o.safetensors"]).Refused("m.safetensors", mention);
    }

    [Theory]
    [InlineData(-1f, "negative running variance")]
    [InlineData(float.NaN, "non-finite")]
    [InlineData(float.PositiveInfinity, "non-finite")]
    public void BadBatchNormRunningVariancesAreRefusedNamingTheTensor(float value, string problem)
    {
        using var dir = new TempDirectory();
        var model = ModelLoader.Load("dcase21");
        var tensor = model.Graph.NodesOf<BatchNormNode>().First().Name + ".running_var";
        model.Weights[tensor].Data[2] = value;
        SafetensorsFile.Write(dir.File("m.safetensors"), model.Weights, new Dictionary<string, string>(model.Metadata)
        {
            [ModelArtifact.FormatKey] = ModelArtifact.Format,
            [ModelArtifact.GraphKey] = GraphJson.Serialize(model.Graph),
        });
        HostileRun.Start(dir.Path, ["prune", "m.safetensors", "--method", "l1", "--ratio", "0.5", "--out", "o.safetensors"])
            .Refused("m.safetensors", tensor, problem);
    }

    [Fact]
    public void ANegativeRunningVarianceInAStateDictImportIsRefused()
    {
        using var dir = new TempDirectory();
        var model = ModelLoader.Load("dcase21");
        var tensor = model.Graph.NodesOf<BatchNormNode>().Last().Name + ".running_var";
        model.Weights[tensor].Data[0] = -0.5f;
        SafetensorsFile.Write(dir.File("w.safetensors"), model.Weights, new Dictionary<string, string>());
        HostileRun.Start(dir.Path, ["import", "w.safetensors", "--graph", "dcase21", "--out", "o.safetensors"]).Refused("w.safetensors", tensor, "negative");
    }

    [Fact]
    public void ANegativeMovingVarianceInAKerasFileIsRefused()
    {
        using var dir = new TempDirectory();
        var random = new Random(1);
        KerasFixtureFile.WriteSequential(dir.File("m.h5"), [4, 4, 2],
        [
            new("BatchNormalization", new { name = "bn" },
            [
                KerasFixtureFile.Tensor.Random("gamma", [2], random), KerasFixtureFile.Tensor.Random("beta", [2], random),
                KerasFixtureFile.Tensor.Random("moving_mean", [2], random), new KerasFixtureFile.Tensor("moving_variance", [2], [1f, -2f]),
            ]),
            new("GlobalAveragePooling2D", new { name = "pool" }, []),
        ]);
        HostileRun.Start(dir.Path, ["import", "m.h5", "--out", "o.safetensors"]).Refused("m.h5", "bn.running_var", "negative");
    }

    private static byte[] Dims(ulong rows, ulong columns)
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, rows);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(8), columns);
        return bytes;
    }

    internal static void WriteSafetensors(string path, string header, byte[] data)
    {
        var headerBytes = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + headerBytes.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)headerBytes.Length);
        headerBytes.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + headerBytes.Length);
        File.WriteAllBytes(path, bytes);
    }
}
