using System.Text.Json;

namespace AudioPrune.Tests.Interop;

/// <summary>The checked-in ONNX fixtures PyTorch made (Interop/OnnxFixtures, copied to the test output folder).</summary>
internal static class OnnxFixtureFiles
{
    public static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Interop", "OnnxFixtures");

    public static readonly string[] Networks =
        ["resnet_small", "mobilenet_v2_small", "mobilenet_v3_se", "concat_net", "torchvision_mobilenet_v3_small", "plain_flatten"];

    public static TheoryData<string> NetworkData => new(Networks);

    /// <summary>Every good file: the networks and the batch-norm-folded export of resnet_small.</summary>
    public static TheoryData<string> FileData => new([.. Networks, "resnet_small-folded"]);

    public static string Onnx(string name) => Path.Combine(Folder, name + ".onnx");

    /// <summary>The network a file name describes ("resnet_small-folded" is resnet_small).</summary>
    public static string NetworkOf(string file) => file.Split('-')[0];

    public static float[] Input(string file) => Floats(Path.Combine(Folder, NetworkOf(file) + ".input.bin"));

    public static float[] Output(string file) => Floats(Path.Combine(Folder, NetworkOf(file) + ".output.bin"));

    public static JsonElement Json(string file) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, NetworkOf(file) + ".json"))).RootElement;

    private static float[] Floats(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var values = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return values;
    }
}
