using System.Numerics;
using System.Runtime.InteropServices;

namespace AudioPrune.Audio;

/// <summary>The few SIMD loops the audio front end spends its time in.</summary>
internal static class VectorMath
{
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var n = Math.Min(a.Length, b.Length);
        var i = 0;
        var sum = 0f;
        if (Vector.IsHardwareAccelerated && n >= Vector<float>.Count)
        {
            var va = MemoryMarshal.Cast<float, Vector<float>>(a[..n]);
            var vb = MemoryMarshal.Cast<float, Vector<float>>(b[..n]);
            var acc = Vector<float>.Zero;
            for (var v = 0; v < va.Length; v++) acc += va[v] * vb[v];
            sum = Vector.Sum(acc);
            i = va.Length * Vector<float>.Count;
        }
        for (; i < n; i++) sum += a[i] * b[i];
        return sum;
    }

    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var n = Math.Min(a.Length, b.Length);
        var i = 0;
        var sum = 0.0;
        if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count)
        {
            var va = MemoryMarshal.Cast<double, Vector<double>>(a[..n]);
            var vb = MemoryMarshal.Cast<double, Vector<double>>(b[..n]);
            var acc = Vector<double>.Zero;
            for (var v = 0; v < va.Length; v++) acc += va[v] * vb[v];
            sum = Vector.Sum(acc);
            i = va.Length * Vector<double>.Count;
        }
        for (; i < n; i++) sum += a[i] * b[i];
        return sum;
    }
}
