using AudioPrune.Common;
using AudioPrune.Graph;
using PureHDF;
using PureHDF.VOL.Native;

namespace AudioPrune.Interop.Keras;

/// <summary>
/// The two parts of a Keras .h5 model file: the architecture (the JSON string attribute model_config) and the
/// weights (group model_weights, one subgroup per layer whose attribute weight_names lists its tensors in order,
/// e.g. "conv2d_1/kernel:0"). Every read error becomes a <see cref="UserInputException"/> naming the file.
/// </summary>
internal sealed class KerasH5File : IDisposable
{
    private readonly NativeFile file;
    private readonly IH5Group weightsRoot;

    private KerasH5File(string path, NativeFile file, string modelConfig, IH5Group weightsRoot, string kerasVersion)
    {
        Path = path;
        this.file = file;
        ModelConfig = modelConfig;
        this.weightsRoot = weightsRoot;
        KerasVersion = kerasVersion;
    }

    public string Path { get; }
    public string ModelConfig { get; }
    public string KerasVersion { get; }

    public static KerasH5File Open(string path)
    {
        NativeFile file;
        try
        {
            file = H5File.OpenRead(path);
        }
        catch (Exception e) when (e is not UserInputException)
        {
            throw UserInputException.InFile(path, $"not a readable HDF5 file (truncated or not .h5?): {OneLine(e)}");
        }
        try
        {
            if (!file.AttributeExists("model_config"))
                throw UserInputException.InFile(path, "an HDF5 file without a 'model_config' attribute, so not a Keras model saved with model.save(); save the whole model, not only its weights");
            var config = ReadStringAttribute(file, "model_config", path);
            IH5Group weights = file.LinkExists("model_weights") ? file.Group("model_weights") : file;
            if (!weights.AttributeExists("layer_names"))
                throw UserInputException.InFile(path, "Keras file without weights (no 'layer_names' in model_weights)");
            var version = weights.AttributeExists("keras_version") ? ReadStringAttribute(weights, "keras_version", path) : "unknown";
            return new KerasH5File(path, file, config, weights, version);
        }
        catch (Exception e) when (e is not UserInputException)
        {
            file.Dispose();
            throw UserInputException.InFile(path, $"damaged Keras file: {OneLine(e)}");
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>A weight tensor as the file declares it: its shape, and how to read it once the shape has been checked.</summary>
    public sealed record DeclaredTensor(int[] Shape, Func<TensorData> Read);

    /// <summary>
    /// The declared tensors of one layer, keyed by their short name ("kernel", "bias", "gamma", "moving_mean"). Nothing
    /// is read yet, but each declared size is checked against the file: an unchunked dataset cannot hold more bytes than
    /// the file, a chunked one (possibly compressed) no more than <see cref="InputLimits.MaxCompressionRatio"/> times it.
    /// </summary>
    public IReadOnlyDictionary<string, DeclaredTensor> LayerWeights(string layerName)
    {
        var result = new Dictionary<string, DeclaredTensor>(StringComparer.Ordinal);
        try
        {
            if (!weightsRoot.LinkExists(layerName)) return result;
            var group = weightsRoot.Group(layerName);
            if (!group.AttributeExists("weight_names")) return result;
            foreach (var name in group.Attribute("weight_names").Read<string[]>())
            {
                var dataset = group.Dataset(name);
                var shape = dataset.Space.Dimensions.Select(d => checked((int)d)).ToArray();
                CheckDeclaredBytes(dataset, shape, layerName, name);
                result[ShortName(name)] = new DeclaredTensor(shape, () => Read(dataset, shape, layerName));
            }
        }
        catch (Exception e) when (e is not UserInputException)
        {
            throw UserInputException.InFile(Path, $"cannot read the weights of layer '{layerName}': {OneLine(e)}");
        }
        return result;
    }

    private void CheckDeclaredBytes(IH5Dataset dataset, int[] shape, string layerName, string name)
    {
        var declared = shape.Aggregate((double)dataset.Type.Size, (a, d) => a * d);
        var chunked = dataset.Layout.Class == H5DataLayoutClass.Chunked;
        var limit = (double)new FileInfo(Path).Length * (chunked ? InputLimits.MaxCompressionRatio : 1);
        if (declared > limit)
            throw UserInputException.InFile(Path, $"layer '{layerName}': dataset '{name}' declares [{string.Join(", ", shape)}], {declared:G3} bytes, " +
                (chunked ? $"more than {InputLimits.MaxCompressionRatio} times the file's size" : "more than the whole file holds"));
    }

    private TensorData Read(IH5Dataset dataset, int[] shape, string layerName)
    {
        try
        {
            return new TensorData(shape, dataset.Read<float[]>());
        }
        catch (Exception e) when (e is not UserInputException)
        {
            throw UserInputException.InFile(Path, $"cannot read the weights of layer '{layerName}': {OneLine(e)}");
        }
    }

    public void Dispose() => file.Dispose();

    /// <summary>"conv2d_1/kernel:0" -> "kernel".</summary>
    private static string ShortName(string weightName)
    {
        var last = weightName[(weightName.LastIndexOf('/') + 1)..];
        var colon = last.LastIndexOf(':');
        return colon >= 0 ? last[..colon] : last;
    }

    private static string ReadStringAttribute(IH5Object owner, string name, string path)
    {
        var attribute = owner.Attribute(name);
        var text = attribute.Read<string>();
        return text ?? throw UserInputException.InFile(path, $"attribute '{name}' is empty");
    }

    private static string OneLine(Exception e) => e.Message.ReplaceLineEndings(" ");
}
