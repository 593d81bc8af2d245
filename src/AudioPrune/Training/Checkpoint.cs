using System.Runtime.InteropServices;
using System.Text.Json;
using AudioPrune.Common;
using AudioPrune.Graph;
using AudioPrune.Graph.Torch;
using AudioPrune.Reports;
using TorchSharp.Modules;

namespace AudioPrune.Training;

/// <summary>
/// The run folder's checkpoint: one file, replaced atomically after every epoch, holding the run state (JSON),
/// the module's tensors (parameters and batch-norm buffers), the optimiser state (Adam moments and step counts
/// or SGD momentum) and the best weights so far. Epoch randomness is re-derived from the seed, so this is exact.
/// </summary>
internal static class Checkpoint
{
    public const string FileName = "checkpoint.bin";
    private const string Magic = "audioprune-checkpoint/1";

    public static string PathIn(string runFolder) => Path.Combine(runFolder, FileName);

    public static void Write(string path, RunState state, TorchGraphModule module, OptimizerHelper optimizer, WeightMap best)
    {
        AtomicFile.Write(path, stream =>
        {
            using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            writer.Write(Magic);
            writer.Write(JsonSerializer.Serialize(state, ReportJson.Options));
            module.save(writer);
            optimizer.save_state_dict(writer);
            WriteWeights(writer, best);
        });
    }

    /// <summary>Reads the state; <paramref name="restore"/> then builds the module and optimiser and loads their tensors.</summary>
    public static T Read<T>(string path, Func<RunState, (TorchGraphModule Module, OptimizerHelper Optimizer)> create,
        Func<RunState, TorchGraphModule, OptimizerHelper, WeightMap, T> restore)
    {
        if (!File.Exists(path)) throw UserInputException.InFile(path, "no checkpoint here: the run folder holds no finished epoch to resume from");
        try
        {
            using var stream = File.OpenRead(path);
            using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8);
            if (reader.ReadString() != Magic) throw UserInputException.InFile(path, "not an AudioPrune training checkpoint");
            var state = JsonSerializer.Deserialize<RunState>(reader.ReadString(), ReportJson.Options)
                ?? throw UserInputException.InFile(path, "checkpoint state is empty");
            var (module, optimizer) = create(state);
            module.load(reader);
            optimizer.load_state_dict(reader);
            var best = ReadWeights(reader);
            return restore(state, module, optimizer, best);
        }
        catch (Exception e) when (e is EndOfStreamException or JsonException or InvalidDataException or ArgumentException)
        {
            throw UserInputException.InFile(path, $"damaged or incompatible checkpoint ({e.Message})");
        }
    }

    private static void WriteWeights(BinaryWriter writer, WeightMap weights)
    {
        writer.Write(weights.Count);
        foreach (var (name, tensor) in weights.Entries)
        {
            writer.Write(name);
            writer.Write(tensor.Shape.Length);
            foreach (var d in tensor.Shape) writer.Write(d);
            writer.Write(MemoryMarshal.AsBytes(tensor.Data.AsSpan()));
        }
    }

    private static WeightMap ReadWeights(BinaryReader reader)
    {
        var weights = new WeightMap();
        var count = reader.ReadInt32();
        for (var i = 0; i < count; i++)
        {
            var name = reader.ReadString();
            var shape = new int[reader.ReadInt32()];
            for (var d = 0; d < shape.Length; d++) shape[d] = reader.ReadInt32();
            var data = new float[shape.Aggregate(1L, (a, x) => a * x)];
            var bytes = MemoryMarshal.AsBytes(data.AsSpan());
            reader.BaseStream.ReadExactly(bytes);
            weights[name] = new TensorData(shape, data);
        }
        return weights;
    }
}
