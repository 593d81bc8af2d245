using System.Text.Json;
using PureHDF;

namespace AudioPrune.Tests.Interop;

/// <summary>
/// An independent, plain-array forward pass with Keras semantics (channels-last H x W x C), reading the .h5
/// file's config and raw tensors itself: Conv2D 'same', BatchNormalization with its own epsilon, ReLU,
/// MaxPooling2D 'valid', Dropout (identity), Flatten in channels-last order, Dense, softmax. Used to check the
/// importer's layout conversions against what Keras computes.
/// </summary>
internal sealed class KerasReferenceForward
{
    private readonly List<(string Class, JsonElement Config, Dictionary<string, (int[] Shape, float[] Data)> Weights)> layers = [];

    public KerasReferenceForward(string path)
    {
        var file = H5File.OpenRead(path);
        try
        {
            using var config = JsonDocument.Parse(file.Attribute("model_config").Read<string>());
            foreach (var layer in config.RootElement.GetProperty("config").GetProperty("layers").EnumerateArray())
            {
                var layerConfig = layer.GetProperty("config").Clone();
                var name = layerConfig.GetProperty("name").GetString()!;
                var weights = new Dictionary<string, (int[], float[])>();
                var group = file.Group("model_weights").Group(name);
                if (group.LinkExists(name))
                {
                    foreach (var child in group.Group(name).Children().OfType<IH5Dataset>())
                        weights[child.Name.Split(':')[0]] = (child.Space.Dimensions.Select(d => (int)d).ToArray(), child.Read<float[]>());
                }
                layers.Add((layer.GetProperty("class_name").GetString()!, layerConfig, weights));
            }
        }
        finally
        {
            file.Dispose();
        }
    }

    /// <summary>Runs one example given as H x W x C (row-major) and returns the output vector.</summary>
    public float[] Run(float[] input, int h, int w, int c)
    {
        var x = input;
        foreach (var (kind, config, weights) in layers)
        {
            switch (kind)
            {
                case "Conv2D":
                    (x, c) = ConvSame(x, h, w, c, weights["kernel"], weights["bias"].Data);
                    x = Activate(x, config.GetProperty("activation").GetString()!);
                    break;
                case "BatchNormalization":
                    var eps = config.GetProperty("epsilon").GetDouble();
                    for (var i = 0; i < x.Length; i++)
                    {
                        var ch = i % c;
                        x[i] = (float)((x[i] - weights["moving_mean"].Data[ch]) / Math.Sqrt(weights["moving_variance"].Data[ch] + eps)
                            * weights["gamma"].Data[ch] + weights["beta"].Data[ch]);
                    }
                    break;
                case "Activation":
                    x = Activate(x, config.GetProperty("activation").GetString()!);
                    break;
                case "MaxPooling2D":
                    var pool = config.GetProperty("pool_size").EnumerateArray().Select(e => e.GetInt32()).ToArray();
                    (x, h, w) = MaxPoolValid(x, h, w, c, pool[0], pool[1]);
                    break;
                case "Dropout":
                    break;
                case "Flatten":
                    c = h * w * c; h = 1; w = 1; // H x W x C memory is already the channels-last flatten order
                    break;
                case "Dense":
                    x = Dense(x, weights["kernel"], weights["bias"].Data);
                    c = x.Length;
                    x = Activate(x, config.GetProperty("activation").GetString()!);
                    break;
                default:
                    throw new NotSupportedException(kind);
            }
        }
        return x;
    }

    private static (float[], int) ConvSame(float[] x, int h, int w, int c, (int[] Shape, float[] Data) kernel, float[] bias)
    {
        var (kh, kw, f) = (kernel.Shape[0], kernel.Shape[1], kernel.Shape[3]);
        var k = kernel.Data;
        var y = new float[h * w * f];
        for (var i = 0; i < h; i++)
        for (var j = 0; j < w; j++)
        {
            var acc = new double[f];
            for (var a = 0; a < kh; a++)
            {
                var ii = i + a - kh / 2;
                if (ii < 0 || ii >= h) continue;
                for (var b = 0; b < kw; b++)
                {
                    var jj = j + b - kw / 2;
                    if (jj < 0 || jj >= w) continue;
                    for (var ci = 0; ci < c; ci++)
                    {
                        var v = x[(ii * w + jj) * c + ci];
                        var row = ((a * kw + b) * c + ci) * f;
                        for (var fi = 0; fi < f; fi++) acc[fi] += v * k[row + fi];
                    }
                }
            }
            for (var fi = 0; fi < f; fi++) y[(i * w + j) * f + fi] = (float)(acc[fi] + bias[fi]);
        }
        return (y, f);
    }

    private static (float[], int, int) MaxPoolValid(float[] x, int h, int w, int c, int ph, int pw)
    {
        var (oh, ow) = (h / ph, w / pw);
        var y = new float[oh * ow * c];
        for (var i = 0; i < oh; i++)
        for (var j = 0; j < ow; j++)
        for (var ci = 0; ci < c; ci++)
        {
            var m = float.NegativeInfinity;
            for (var a = 0; a < ph; a++)
            for (var b = 0; b < pw; b++)
                m = Math.Max(m, x[((i * ph + a) * w + j * pw + b) * c + ci]);
            y[(i * ow + j) * c + ci] = m;
        }
        return (y, oh, ow);
    }

    private static float[] Dense(float[] x, (int[] Shape, float[] Data) kernel, float[] bias)
    {
        var (n, m) = (kernel.Shape[0], kernel.Shape[1]);
        var y = new float[m];
        for (var o = 0; o < m; o++)
        {
            double acc = bias[o];
            for (var i = 0; i < n; i++) acc += x[i] * kernel.Data[i * m + o];
            y[o] = (float)acc;
        }
        return y;
    }

    private static float[] Activate(float[] x, string activation)
    {
        switch (activation)
        {
            case "linear":
                return x;
            case "relu":
                return x.Select(v => Math.Max(v, 0f)).ToArray();
            case "softmax":
                var max = x.Max();
                var e = x.Select(v => Math.Exp(v - max)).ToArray();
                var sum = e.Sum();
                return e.Select(v => (float)(v / sum)).ToArray();
            default:
                throw new NotSupportedException(activation);
        }
    }
}
