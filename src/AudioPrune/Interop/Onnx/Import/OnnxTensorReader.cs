using System.Runtime.InteropServices;
using AudioPrune.Common;
using Google.Protobuf;
using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace AudioPrune.Interop.Onnx.Import;

/// <summary>
/// Turns an ONNX tensor into an <see cref="OnnxConstant"/>: float, double (read as float32) and integer types, from
/// their typed fields, raw_data, or an external data file beside the model. Every declared size is checked against
/// <see cref="InputLimits.MaxOnnxTensorElements"/> and against the bytes actually present before anything is allocated;
/// an external file must be a plain relative path inside the model's folder.
/// </summary>
internal sealed class OnnxTensorReader(string modelPath)
{
    private readonly string folder = Path.GetFullPath(Path.GetDirectoryName(Path.GetFullPath(modelPath)) ?? ".");

    public OnnxConstant Read(TensorProto tensor)
    {
        var dims = Dims(tensor);
        var elements = dims.Aggregate(1L, (a, d) => a * d);
        var type = (DataType)tensor.DataType;
        var width = ElementBytes(tensor, type);
        var raw = tensor.DataLocation == TensorProto.Types.DataLocation.External ? External(tensor, elements * width)
            : tensor.RawData.Length > 0 ? tensor.RawData : null;
        if (raw is not null && raw.Length != elements * width)
            throw Problem(tensor, $"declares {elements:N0} elements ({elements * width:N0} bytes) but holds {raw.Length:N0} bytes");
        return type switch
        {
            DataType.Float => OnnxConstant.OfFloats(dims, raw is null ? Typed(tensor, tensor.FloatData, elements) : Raw<float>(raw)),
            DataType.Double => OnnxConstant.OfFloats(dims, (raw is null ? Typed(tensor, tensor.DoubleData, elements) : Raw<double>(raw)).Select(v => (float)v).ToArray()),
            DataType.Int64 => OnnxConstant.OfInts(dims, raw is null ? Typed(tensor, tensor.Int64Data, elements) : Raw<long>(raw)),
            _ => OnnxConstant.OfInts(dims, (raw is null ? Typed(tensor, tensor.Int32Data, elements) : Raw<int>(raw)).Select(v => (long)v).ToArray()),
        };
    }

    private int[] Dims(TensorProto tensor)
    {
        if (tensor.Dims.Any(d => d < 0 || d > int.MaxValue)) throw Problem(tensor, $"has an invalid dimension in [{string.Join(", ", tensor.Dims)}]");
        var declared = tensor.Dims.Aggregate(1.0, (a, d) => a * d);
        if (declared > InputLimits.MaxOnnxTensorElements)
            throw Problem(tensor, $"declares {declared:G3} elements, more than the limit of {InputLimits.MaxOnnxTensorElements:N0}");
        return tensor.Dims.Select(d => (int)d).ToArray();
    }

    private int ElementBytes(TensorProto tensor, DataType type) => type switch
    {
        DataType.Float or DataType.Int32 => 4,
        DataType.Double or DataType.Int64 => 8,
        _ => throw Problem(tensor, $"has element type {type}; supported: float, double, int32, int64"),
    };

    private T[] Typed<T>(TensorProto tensor, Google.Protobuf.Collections.RepeatedField<T> values, long elements)
    {
        if (values.Count != elements) throw Problem(tensor, $"declares {elements:N0} elements but holds {values.Count:N0}");
        return values.ToArray();
    }

    /// <summary>The bytes of an external tensor: location, offset and length from its entries, in a file inside the model's folder.</summary>
    private ByteString External(TensorProto tensor, long expected)
    {
        var entries = tensor.ExternalData.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
        var location = entries.GetValueOrDefault("location") ?? throw Problem(tensor, "is external data without a location");
        var path = Resolve(tensor, location);
        var offset = Number(tensor, entries, "offset", 0);
        var length = Number(tensor, entries, "length", expected);
        if (length != expected) throw Problem(tensor, $"declares {expected:N0} bytes but its external data entry says {length:N0}");
        if (!File.Exists(path)) throw Problem(tensor, $"is stored in the external data file '{location}', which is missing beside the model");
        using var stream = InputFile.OpenRead(path, "external data file");
        if (offset + length > stream.Length)
            throw Problem(tensor, $"reads bytes {offset:N0} to {offset + length:N0} of '{location}', which has {stream.Length:N0}");
        var bytes = new byte[length];
        stream.Position = offset;
        stream.ReadExactly(bytes);
        return ByteString.CopyFrom(bytes);
    }

    private string Resolve(TensorProto tensor, string location)
    {
        var parts = location.Split('/', '\\');
        if (Path.IsPathRooted(location) || location.Contains(':') || parts.Any(p => p is ".." or ""))
            throw Problem(tensor, $"external data location '{location}' must be a file name inside the model's folder (no absolute path, no '..')");
        var path = Path.GetFullPath(Path.Combine(folder, location));
        if (!path.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw Problem(tensor, $"external data location '{location}' leaves the model's folder");
        return path;
    }

    private long Number(TensorProto tensor, Dictionary<string, string> entries, string key, long fallback)
    {
        if (!entries.TryGetValue(key, out var text)) return fallback;
        return long.TryParse(text, out var value) && value >= 0 ? value : throw Problem(tensor, $"has an invalid external data {key} '{text}'");
    }

    private UserInputException Problem(TensorProto tensor, string problem) => UserInputException.InFile(modelPath, $"tensor '{tensor.Name}' {problem}");

    /// <summary>Little-endian values of raw_data (the project runs on little-endian CPUs, as its exporter does).</summary>
    private static T[] Raw<T>(ByteString raw) where T : struct => MemoryMarshal.Cast<byte, T>(raw.Span).ToArray();
}
