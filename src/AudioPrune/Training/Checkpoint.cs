using System.Runtime.InteropServices;
using System.Text.Json;
using AudioPrune.Common;
using AudioPrune.Graph;
using AudioPrune.Graph.Torch;
using AudioPrune.Reports;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AudioPrune.Training;

/// <summary>
/// The run folder's checkpoint: one file, replaced atomically after every epoch, holding the run state (JSON),
/// the module's tensors (parameters and batch-norm buffers), the optimiser state (Adam moments and step counts
/// or SGD momentum) and the best weights so far, then an XxHash64 checksum of all of it (settings included). Epoch
/// randomness is re-derived from the seed, so this is exact. A checkpoint is refused, naming the problem, when its
/// checksum does not match, its state is impossible, a tensor does not fit the network or holds a non-finite value.
/// </summary>
internal static class Checkpoint
{
    public const string FileName = "checkpoint.bin";
    private const string Magic = "audioprune-checkpoint/2";
    private const string UncheckedMagic = "audioprune-checkpoint/1";

    public static string PathIn(string runFolder) => Path.Combine(runFolder, FileName);

    public static void Write(string path, RunState state, TorchGraphModule module, OptimizerHelper optimizer, WeightMap best)
    {
        AtomicFile.Write(path, stream =>
        {
            var hashed = new ChecksumStream(stream);
            using (var writer = new BinaryWriter(hashed, System.Text.Encoding.UTF8, leaveOpen: true))
            {
                writer.Write(Magic);
                writer.Write(JsonSerializer.Serialize(state, ReportJson.Options));
                module.save(writer);
                optimizer.save_state_dict(writer);
                WriteWeights(writer, best);
            }
            hashed.WriteChecksum();
        });
    }

    /// <summary>The run state alone, from a checkpoint whose checksum has been verified (to compare settings before any data is read).</summary>
    public static RunState ReadState(string path) => Read(path, (reader, state) => state);

    /// <summary>Reads the state; <paramref name="restore"/> then builds the module and optimiser and loads their tensors.</summary>
    public static T Read<T>(string path, Func<RunState, (TorchGraphModule Module, OptimizerHelper Optimizer)> create,
        Func<RunState, TorchGraphModule, OptimizerHelper, WeightMap, T> restore) =>
        Read(path, (reader, state) =>
        {
            var (module, optimizer) = create(state);
            module.load(reader);
            EnsureFinite(module.state_dict(), "module tensor");
            optimizer.load_state_dict(reader);
            EnsureFinite(OptimizerTensors(optimizer), "optimizer state");
            var best = ReadWeights(reader);
            if (reader.BaseStream.Position != reader.BaseStream.Length - ChecksumStream.ChecksumBytes)
                throw new InvalidDataException("bytes are left after its content");
            return restore(state, module, optimizer, best);
        });

    /// <summary>
    /// Opens the checkpoint, checks its kind and checksum and reads its state, then hands the reader to <paramref name="rest"/>.
    /// Any failure is one <see cref="UserInputException"/> naming the file: a damaged checkpoint is never used.
    /// </summary>
    private static T Read<T>(string path, Func<BinaryReader, RunState, T> rest)
    {
        if (!File.Exists(path)) throw UserInputException.InFile(path, "no checkpoint here: the run folder holds no finished epoch to resume from");
        try
        {
            using var stream = File.OpenRead(path);
            using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8);
            var magic = reader.ReadString();
            if (magic == UncheckedMagic)
                throw UserInputException.InFile(path, "checkpoint written by an older audioprune without a checksum, so it cannot be verified; start a new run folder");
            if (magic != Magic) throw UserInputException.InFile(path, "not an AudioPrune training checkpoint");
            if (!ChecksumStream.Verify(stream))
                throw UserInputException.InFile(path, "damaged checkpoint: its content does not match its checksum (changed, truncated or extended); start a new run folder");
            reader.ReadString();
            var state = JsonSerializer.Deserialize<RunState>(reader.ReadString(), ReportJson.Options)
                ?? throw new InvalidDataException("its state is empty");
            state.EnsureValid();
            return rest(reader, state);
        }
        catch (Exception e) when (e is not UserInputException and not OutOfMemoryException)
        {
            throw UserInputException.InFile(path, $"damaged or incompatible checkpoint ({e.Message.ReplaceLineEndings(" ")})");
        }
    }

    private static void EnsureFinite(IEnumerable<KeyValuePair<string, Tensor>> tensors, string what)
    {
        foreach (var (name, tensor) in tensors)
        {
            if (!tensor.is_floating_point()) continue;
            using var finite = torch.isfinite(tensor).all();
            if (!finite.item<bool>()) throw new InvalidDataException($"{what} '{name}' holds non-finite values");
        }
    }

    /// <summary>The optimiser's state tensors (Adam's moments, SGD's momentum buffers), named by parameter index.</summary>
    private static IEnumerable<KeyValuePair<string, Tensor>> OptimizerTensors(OptimizerHelper optimizer)
    {
        var states = optimizer.state_dict().State;
        for (var i = 0; i < states.Count; i++)
        {
            var tensors = states[i] switch
            {
                Adam.State a => new[] { ("exp_avg", a.exp_avg), ("exp_avg_sq", a.exp_avg_sq), ("max_exp_avg_sq", a.max_exp_avg_sq) },
                SGD.State s => [("momentum_buffer", s.momentum_buffer)],
                _ => [],
            };
            foreach (var (name, tensor) in tensors)
                if (tensor is not null) yield return new($"{i}.{name}", tensor);
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
            var elements = shape.Aggregate(1L, (a, x) => a * (x >= 0 ? x : throw new InvalidDataException($"tensor '{name}' has a negative size")));
            if (elements > (reader.BaseStream.Length - reader.BaseStream.Position) / 4) throw new InvalidDataException($"tensor '{name}' is larger than the file");
            var data = new float[elements];
            var bytes = MemoryMarshal.AsBytes(data.AsSpan());
            reader.BaseStream.ReadExactly(bytes);
            weights[name] = new TensorData(shape, data);
        }
        return weights;
    }
}
