using System.Collections;
using AudioPrune.Common;
using AudioPrune.Graph;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace AudioPrune.Interop.PyTorch;

/// <summary>
/// A PyTorch state_dict saved with torch.save (.pt/.pth), read and written through TorchSharp.PyBridge's
/// pickler (no Python needed). Float tensors only; num_batches_tracked counters are dropped on reading
/// and written as zero so that PyTorch's load_state_dict(strict=True) accepts the file.
/// </summary>
internal static class PyTorchStateDictFile
{
    public const string BatchCounterSuffix = ".num_batches_tracked";

    public static WeightMap Read(string path)
    {
        if (!File.Exists(path)) throw UserInputException.InFile(path, "file not found");
        Hashtable table;
        try
        {
            table = PyTorchUnpickler.UnpickleStateDict(path);
        }
        catch (Exception e) when (e is not UserInputException)
        {
            throw UserInputException.InFile(path, $"not a PyTorch state_dict saved with torch.save (truncated, a whole pickled module, or another format): {e.Message.ReplaceLineEndings(" ")}");
        }
        var weights = new WeightMap();
        try
        {
            foreach (var key in table.Keys.Cast<object>().Select(k => k.ToString()!).Order(StringComparer.Ordinal))
            {
                if (key.EndsWith(BatchCounterSuffix, StringComparison.Ordinal)) continue;
                if (table[key] is not Tensor tensor)
                    throw UserInputException.InFile(path, $"entry '{key}' is not a tensor ({table[key]?.GetType().Name ?? "null"}); save model.state_dict(), not a checkpoint dictionary");
                using var values = tensor.to_type(ScalarType.Float32).contiguous();
                weights[key] = new TensorData(tensor.shape.Select(d => (int)d).ToArray(), values.data<float>().ToArray());
            }
        }
        finally
        {
            foreach (var value in table.Values) (value as IDisposable)?.Dispose();
        }
        return weights;
    }

    /// <summary>Writes the weights as a state_dict, atomically; BatchNorm layers get a num_batches_tracked of 0.</summary>
    public static void Write(string path, WeightMap weights, NetworkGraph graph)
    {
        var tensors = new List<Tensor>();
        try
        {
            var table = new Hashtable();
            foreach (var (name, data) in weights.Entries)
            {
                var t = tensor(data.Data, data.Shape.Select(d => (long)d).ToArray());
                tensors.Add(t);
                table[name] = t;
            }
            foreach (var node in graph.Nodes.OfType<Graph.Nodes.BatchNormNode>())
            {
                var counter = tensor(0L);
                tensors.Add(counter);
                table[node.Name + BatchCounterSuffix] = counter;
            }
            AtomicFile.Write(path, stream => PyTorchPickler.PickleStateDict(stream, table, leaveOpen: true));
        }
        finally
        {
            foreach (var t in tensors) t.Dispose();
        }
    }
}
