using AudioPrune.Graph;
using PureHDF;

namespace AudioPrune.Tests.Pruning;

/// <summary>
/// Reads the conv kernels of the authors' Keras 2.3 .h5 models directly (model_weights/LAYER/LAYER/kernel:0),
/// converting Keras's (kh, kw, C, F) to PyTorch's (F, C, kh, kw). Independent of the project's importer on purpose.
/// </summary>
internal static class KerasKernels
{
    public static readonly string Folder = SharedFiles.KerasFolder;

    /// <summary>Conv kernels in network order (Keras names conv2d, conv2d_1, ...).</summary>
    public static IReadOnlyList<(string Layer, TensorData Weight)> Read(string fileName)
    {
        var file = H5File.OpenRead(Path.Combine(Folder, fileName));
        try
        {
            var weights = file.Group("model_weights");
            var kernels = new List<(string, TensorData)>();
            foreach (var child in weights.Children().OfType<IH5Group>().OrderBy(g => g.Name.Length).ThenBy(g => g.Name, StringComparer.Ordinal))
            {
                if (!child.LinkExists(child.Name) || !child.Group(child.Name).LinkExists("kernel:0")) continue;
                var dataset = child.Group(child.Name).Dataset("kernel:0");
                var dims = dataset.Space.Dimensions.Select(d => (int)d).ToArray();
                if (dims.Length != 4) continue;
                var data = dataset.Read<float[]>();
                kernels.Add((child.Name, ToPyTorch(data, dims[0], dims[1], dims[2], dims[3])));
            }
            return kernels;
        }
        finally
        {
            file.Dispose();
        }
    }

    private static TensorData ToPyTorch(float[] keras, int kh, int kw, int c, int f)
    {
        var data = new float[keras.Length];
        for (var y = 0; y < kh; y++)
        {
            for (var x = 0; x < kw; x++)
            {
                for (var ci = 0; ci < c; ci++)
                {
                    for (var fi = 0; fi < f; fi++) data[((fi * c + ci) * kh + y) * kw + x] = keras[((y * kw + x) * c + ci) * f + fi];
                }
            }
        }
        return new TensorData([f, c, kh, kw], data);
    }

}
