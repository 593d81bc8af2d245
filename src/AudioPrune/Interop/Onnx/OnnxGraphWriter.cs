using System.Runtime.InteropServices;
using AudioPrune.Graph;
using Google.Protobuf;
using Onnx;

namespace AudioPrune.Interop.Onnx;

/// <summary>Accumulates ONNX nodes, initializers and value infos with unique names; knows nothing of networks.</summary>
internal sealed class OnnxGraphWriter
{
    private readonly HashSet<string> names = new(StringComparer.Ordinal);

    public GraphProto Graph { get; } = new();

    /// <summary>A tensor name not used yet, based on <paramref name="stem"/>.</summary>
    public string Unique(string stem)
    {
        var name = stem;
        for (var i = 1; !names.Add(name); i++) name = $"{stem}_{i}";
        return name;
    }

    public void Node(string op, string name, IEnumerable<string> inputs, string output, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = name };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
    }

    /// <summary>
    /// <paramref name="terms"/> added left to right into <paramref name="output"/>: a chain of binary Add nodes, the last
    /// one named <paramref name="name"/>. A single term writes nothing (the caller already has it in place).
    /// </summary>
    public void Sum(IReadOnlyList<string> terms, string output, string name)
    {
        var total = terms[0];
        for (var i = 1; i < terms.Count; i++)
        {
            var last = i == terms.Count - 1;
            var target = last ? output : Unique($"{name}_partial{i}");
            Node("Add", last ? name : target, [total, terms[i]], target);
            total = target;
        }
    }

    /// <summary>Channels [start, start + count) of the (N, C, ...) tensor <paramref name="x"/> into <paramref name="y"/>: a Slice on axis 1.</summary>
    public void ChannelSlice(string x, string y, string name, long start, long count) =>
        Node("Slice", name,
            [x, Int64Initializer($"{name}_starts", [start]), Int64Initializer($"{name}_ends", [start + count]), Int64Initializer($"{name}_axes", [1])], y);

    public string Initializer(string name, TensorData data)
    {
        var tensor = new TensorProto { Name = Unique(name), DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(data.Shape.Select(d => (long)d));
        tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(data.Data.AsSpan()));
        Graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    public string Int64Initializer(string name, long[] values)
    {
        var tensor = new TensorProto { Name = Unique(name), DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(values.Length);
        tensor.Int64Data.AddRange(values);
        Graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    public string ScalarInitializer(string name, float value) => Initializer(name, new TensorData([], [value]));

    /// <summary>A float tensor type with a symbolic batch axis followed by the given per-example dims.</summary>
    public static ValueInfoProto Value(string name, string batchParam, IReadOnlyList<int> dims)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = batchParam });
        foreach (var d in dims) shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }

    public static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Float(string name, double value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = (float)value };

    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }
}
