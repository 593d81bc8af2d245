using AudioPrune.Common;
using AudioPrune.Graph;

namespace AudioPrune;

/// <summary>
/// One conv layer's weights (F, C, kh, kw) as F rows of C*kh*kw values, the form every criterion reads.
/// The float32 weights are shared, not copied (a large layer holds millions of them); criteria compute in double.
/// Construction rejects non-finite weights, naming the layer, because every criterion would silently rank them.
/// </summary>
public sealed class FilterBank
{
    /// <summary>A layer's weights laid out (filters, channels, kernel height, kernel width), row-major.</summary>
    public FilterBank(string layer, float[] weights, int filters, int channels, int kernelHeight, int kernelWidth)
        : this(layer, new TensorData([filters, channels, kernelHeight, kernelWidth], weights ?? throw new ArgumentNullException(nameof(weights))))
    {
    }

    internal FilterBank(string layer, TensorData weight, int layerIndex = 0)
    {
        if (weight.Shape.Length != 4)
            throw new UserInputException($"layer '{layer}': conv weight must be (filters, channels, kh, kw), got {weight.ShapeText}");
        var bad = weight.FirstNonFinite();
        if (bad >= 0)
            throw new UserInputException($"layer '{layer}': weight holds a non-finite value ({weight.Data[bad]}) at element {bad}; fix the model before pruning");
        Layer = layer;
        LayerIndex = layerIndex;
        Filters = weight.Shape[0];
        Channels = weight.Shape[1];
        KernelH = weight.Shape[2];
        KernelW = weight.Shape[3];
        Weights = weight.Data;
    }

    public string Layer { get; }

    /// <summary>Position among the network's conv layers (seeds per-layer randomness).</summary>
    internal int LayerIndex { get; }
    public int Filters { get; }
    public int Channels { get; }
    public int KernelH { get; }
    public int KernelW { get; }

    /// <summary>A seed for this layer's random choices: reproducible, and different in every layer.</summary>
    internal int SeedFor(int seed) => unchecked(seed * 1_000_003 + LayerIndex);

    /// <summary>Spatial taps per kernel, kh*kw.</summary>
    public int Taps => KernelH * KernelW;

    /// <summary>Values per filter, C*kh*kw.</summary>
    public int FilterLength => Channels * Taps;

    /// <summary>Row-major F x (C*kh*kw), the filter f being W[f] flattened in (c, h, w) order.</summary>
    internal float[] Weights { get; }

    public ReadOnlySpan<float> Filter(int f) => Weights.AsSpan(f * FilterLength, FilterLength);

    /// <summary>Weight W[f, c, tap] with tap = h*kw + w.</summary>
    public double this[int f, int c, int tap] => Weights[f * FilterLength + c * Taps + tap];

}
