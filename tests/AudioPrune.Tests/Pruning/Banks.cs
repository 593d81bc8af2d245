using AudioPrune.Graph;
using AudioPrune.Pruning;

namespace AudioPrune.Tests.Pruning;

/// <summary>Hand-made conv layers for known-answer tests.</summary>
internal static class Banks
{
    /// <summary>A layer of 1 x (1 x taps) filters (C = 1), one row per filter.</summary>
    public static FilterBank Rows(params double[][] filters) => Layer(1, 1, filters[0].Length, filters);

    /// <summary>A layer whose filter f is <paramref name="filters"/>[f] in (C, kh, kw) order.</summary>
    public static FilterBank Layer(int channels, int kh, int kw, params double[][] filters)
    {
        var data = filters.SelectMany(f => f).Select(v => (float)v).ToArray();
        return new FilterBank("test", new TensorData([filters.Length, channels, kh, kw], data));
    }

    public static FilterBank Random(int filters, int channels, int kh, int kw, int seed, string name = "test", int index = 0)
    {
        var random = new Random(seed);
        var data = new float[filters * channels * kh * kw];
        for (var i = 0; i < data.Length; i++) data[i] = (float)(random.NextDouble() * 2 - 1);
        return new FilterBank(name, new TensorData([filters, channels, kh, kw], data), index);
    }
}
