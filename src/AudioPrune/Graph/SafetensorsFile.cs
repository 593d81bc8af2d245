using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AudioPrune.Common;

namespace AudioPrune.Graph;

/// <summary>
/// The safetensors format: an 8-byte little-endian header length, a JSON header
/// {"__metadata__": {string: string}, name: {"dtype", "shape", "data_offsets": [begin, end]}}, then the data.
/// Writing produces float32 tensors; reading accepts the float and integer dtypes and converts them to float32.
/// The reader trusts nothing: every length, offset and shape is checked against the file before allocating.
/// </summary>
internal static class SafetensorsFile
{
    /// <summary>Headers beyond this are refused (the format's own reference reader uses the same limit).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    private static readonly Dictionary<string, int> DtypeSizes = new(StringComparer.Ordinal)
    {
        ["F64"] = 8, ["F32"] = 4, ["F16"] = 2, ["BF16"] = 2,
        ["I64"] = 8, ["I32"] = 4, ["I16"] = 2, ["I8"] = 1, ["U8"] = 1, ["BOOL"] = 1,
    };

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public sealed record Contents(WeightMap Tensors, IReadOnlyDictionary<string, string> Metadata);

    public static void Write(string path, WeightMap tensors, IReadOnlyDictionary<string, string> metadata)
    {
        var header = new JsonObject();
        if (metadata.Count > 0)
        {
            var meta = new JsonObject();
            foreach (var (key, value) in metadata) meta[key] = value;
            header["__metadata__"] = meta;
        }
        long offset = 0;
        foreach (var (name, tensor) in tensors.Entries)
        {
            var bytes = tensor.Elements * sizeof(float);
            header[name] = new JsonObject
            {
                ["dtype"] = "F32",
                ["shape"] = new JsonArray(tensor.Shape.Select(d => (JsonNode)d).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + bytes),
            };
            offset += bytes;
        }
        var headerBytes = Encoding.UTF8.GetBytes(header.ToJsonString());
        var padded = (headerBytes.Length + 7) / 8 * 8;   // keeps the data 8-byte aligned, padding with spaces as the format allows
        AtomicFile.Write(path, stream =>
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)padded);
            stream.Write(length);
            stream.Write(headerBytes);
            for (var i = headerBytes.Length; i < padded; i++) stream.WriteByte((byte)' ');
            foreach (var (_, tensor) in tensors.Entries)
            {
                stream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(tensor.Data.AsSpan()));
            }
        });
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("safetensors writing needs a little-endian machine");
    }

    public static Contents Read(string path)
    {
        using var stream = InputFile.OpenRead(path, "safetensors file");
        return Read(stream, path);
    }

    /// <summary>Only the header's metadata: the tensors' entries are checked against the file, their data is not read.</summary>
    public static IReadOnlyDictionary<string, string> ReadMetadata(string path)
    {
        using var stream = InputFile.OpenRead(path, "safetensors file");
        return ReadHeader(stream, path).Metadata;
    }

    public static Contents Read(Stream stream, string source)
    {
        var header = ReadHeader(stream, source);
        var tensors = new WeightMap();
        foreach (var entry in header.Entries)
        {
            stream.Position = header.DataStart + entry.Begin;
            var raw = new byte[entry.End - entry.Begin];
            stream.ReadExactly(raw);
            tensors[entry.Name] = new TensorData(entry.Shape, ToFloat(raw, entry.Dtype));
        }
        return new Contents(tensors, header.Metadata);
    }

    private sealed record Header(Dictionary<string, string> Metadata, List<Entry> Entries, long DataStart);

    private static Header ReadHeader(Stream stream, string source)
    {
        UserInputException Bad(string problem) => UserInputException.InFile(source, $"not a valid safetensors file: {problem}");

        var fileLength = stream.Length;
        if (fileLength < 8) throw Bad($"only {fileLength} bytes, shorter than the 8-byte header length");
        Span<byte> lengthBytes = stackalloc byte[8];
        stream.ReadExactly(lengthBytes);
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength == 0 || headerLength > MaxHeaderBytes) throw Bad($"header length {headerLength} is not between 1 and {MaxHeaderBytes}");
        if ((long)headerLength > fileLength - 8) throw Bad($"header length {headerLength} runs past the end of the file ({fileLength} bytes); is it truncated?");
        var headerBytes = new byte[headerLength];
        stream.ReadExactly(headerBytes);
        var header = ParseHeader(headerBytes, Bad);
        var dataStart = 8 + (long)headerLength;
        return new Header(ReadMetadata(header, Bad), ReadEntries(header, fileLength - dataStart, Bad), dataStart);
    }

    /// <summary>The header as JSON: UTF-8, at most <see cref="InputLimits.MaxNestingDepth"/> deep, every key once.</summary>
    private static JsonObject ParseHeader(byte[] headerBytes, Func<string, UserInputException> bad)
    {
        try
        {
            var headerText = StrictUtf8.GetString(headerBytes);
            var options = new JsonDocumentOptions { MaxDepth = InputLimits.MaxNestingDepth, AllowDuplicateProperties = false };
            return JsonNode.Parse(headerText, documentOptions: options) as JsonObject ?? throw bad("the header is not a JSON object");
        }
        catch (DecoderFallbackException)
        {
            throw bad("the header is not UTF-8 text");
        }
        catch (JsonException e)
        {
            throw bad($"the header is not valid JSON ({e.Message.Split(". ")[0]})");
        }
    }

    private sealed record Entry(string Name, string Dtype, int[] Shape, long Begin, long End);

    private static Dictionary<string, string> ReadMetadata(JsonObject header, Func<string, UserInputException> bad)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (header["__metadata__"] is not { } node) return metadata;
        if (node is not JsonObject meta) throw bad("__metadata__ is not an object of strings");
        foreach (var (key, value) in meta)
        {
            if (value is not JsonValue v || !v.TryGetValue<string>(out var text)) throw bad($"metadata '{key}' is not a string");
            metadata[key] = text;
        }
        return metadata;
    }

    private static List<Entry> ReadEntries(JsonObject header, long dataLength, Func<string, UserInputException> bad)
    {
        var entries = new List<Entry>();
        foreach (var (name, node) in header)
        {
            if (name == "__metadata__") continue;
            if (node is not JsonObject info) throw bad($"tensor '{name}' is not an object");
            var dtype = info["dtype"] is JsonValue d && d.TryGetValue<string>(out var dt) ? dt : throw bad($"tensor '{name}' has no dtype");
            if (!DtypeSizes.TryGetValue(dtype, out var elementSize)) throw bad($"tensor '{name}' has unsupported dtype '{dtype}'");
            var shape = IntArray(info["shape"], name, "shape", bad);
            var offsets = IntArray(info["data_offsets"], name, "data_offsets", bad);
            if (offsets.Length != 2) throw bad($"tensor '{name}' data_offsets must be [begin, end]");
            var (begin, end) = (offsets[0], offsets[1]);
            if (begin < 0 || end < begin || end > dataLength)
                throw bad($"tensor '{name}' data_offsets [{begin}, {end}] lie outside the {dataLength} data bytes; is the file truncated?");
            if (end - begin > Array.MaxLength)
                throw bad($"tensor '{name}' is {end - begin:N0} bytes; this reader holds at most {Array.MaxLength:N0} bytes per tensor");
            long elements = 1;
            foreach (var dim in shape)
            {
                if (dim < 0 || dim > int.MaxValue) throw bad($"tensor '{name}' has a bad shape entry {dim}");
                elements = dim == 0 ? 0 : elements > long.MaxValue / Math.Max(dim, 1) ? throw bad($"tensor '{name}' shape overflows") : elements * dim;
            }
            if (elements * elementSize != end - begin)
                throw bad($"tensor '{name}' shape [{string.Join(", ", shape)}] of {dtype} needs {elements * elementSize} bytes, offsets give {end - begin}");
            if (elements > Array.MaxLength) throw bad($"tensor '{name}' is too large ({elements} elements)");
            entries.Add(new Entry(name, dtype, shape.Select(s => (int)s).ToArray(), begin, end));
        }
        long expected = 0;
        foreach (var entry in entries.OrderBy(e => e.Begin).ThenBy(e => e.End))
        {
            if (entry.Begin != expected)
                throw bad(entry.Begin < expected ? $"tensor '{entry.Name}' overlaps another tensor" : $"a gap before tensor '{entry.Name}'");
            expected = entry.End;
        }
        if (expected != dataLength) throw bad($"tensors cover {expected} of the {dataLength} data bytes");
        return entries;
    }

    private static long[] IntArray(JsonNode? node, string tensor, string field, Func<string, UserInputException> bad)
    {
        if (node is not JsonArray array || array.Count > 16) throw bad($"tensor '{tensor}' {field} is not a short list of integers");
        var values = new long[array.Count];
        for (var i = 0; i < values.Length; i++)
        {
            if (array[i] is not JsonValue v || !v.TryGetValue<long>(out values[i]))
            {
                if (array[i] is JsonValue dv && dv.TryGetValue<double>(out var dbl) && dbl == Math.Floor(dbl) && Math.Abs(dbl) < 9e15) values[i] = (long)dbl;
                else throw bad($"tensor '{tensor}' {field} holds a non-integer");
            }
        }
        return values;
    }

    private static float[] ToFloat(byte[] raw, string dtype)
    {
        switch (dtype)
        {
            case "F32": return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(raw).ToArray();
            case "F64": return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, double>(raw).ToArray().Select(v => (float)v).ToArray();
            case "F16": return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, Half>(raw).ToArray().Select(v => (float)v).ToArray();
            case "BF16":
                var bf = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(raw);
                var result = new float[bf.Length];
                for (var i = 0; i < bf.Length; i++) result[i] = BitConverter.Int32BitsToSingle(bf[i] << 16);
                return result;
            case "I64": return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(raw).ToArray().Select(v => (float)v).ToArray();
            case "I32": return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, int>(raw).ToArray().Select(v => (float)v).ToArray();
            case "I16": return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, short>(raw).ToArray().Select(v => (float)v).ToArray();
            case "I8": return raw.Select(b => (float)(sbyte)b).ToArray();
            default: return raw.Select(b => (float)b).ToArray();   // U8, BOOL
        }
    }
}
