using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace AudioPrune.Pruning.Numerics;

/// <summary>
/// The per-filter Gram matrices of the rank-1 prototypes (X X^T of a filter's taps over its input channels: 9 x 9
/// from up to 2048 channels in CNN14), their hot loop. The inputs are widened float32 weights, whose products are
/// exact in double, so fusing the multiply-adds changes nothing but the speed.
/// </summary>
internal static class FilterGram
{
    /// <summary>
    /// Writes the <paramref name="count"/> x <paramref name="count"/> Gram matrix of a few long row-major rows into
    /// <paramref name="gram"/>, exactly symmetric (the upper triangle is computed, the lower one copied). Each row is
    /// dotted with four others at once, so one load of row i feeds four independent fused multiply-adds (a single
    /// dot product waits on its own adds).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void OfRows(ReadOnlySpan<double> rows, int count, int length, Span<double> gram)
    {
        if (rows.Length < count * length || gram.Length < count * count)
            throw new ArgumentException($"need {count} rows of {length} values and a {count} x {count} result");
        for (var i = 0; i < count; i++)
        {
            var ri = rows.Slice(i * length, length);
            var j = i;
            for (; j + 4 <= count; j += 4)
            {
                Dot4(ri, rows.Slice(j * length, 4 * length), length,
                    out gram[i * count + j], out gram[i * count + j + 1], out gram[i * count + j + 2], out gram[i * count + j + 3]);
            }
            for (; j < count; j++) gram[i * count + j] = Dot(ri, rows.Slice(j * length, length));
        }
        for (var i = 0; i < count; i++)
        {
            for (var j = 0; j < i; j++) gram[i * count + j] = gram[j * count + i];
        }
    }

    /// <summary>
    /// The 9 x 9 Gram matrix X X^T of a 3x3 filter straight from its weights (channel-major: x[c * 9 + tap]), the
    /// common case (VGGish, CNN14), without the transposition <see cref="OfRows"/> needs, which cost more than the
    /// products. Per channel, taps 0-7 are widened to two vectors and the outer product accumulated into the upper
    /// triangle: rows 0-3 and column 8 in one pass (10 vector accumulators), rows 4-7 in a second (4), so the
    /// accumulators stay in registers and nothing past the filter's last tap is read. Each entry is a fused
    /// multiply-add chain over the channels in ascending order; the lower triangle is copied.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void OfTaps3x3(ReadOnlySpan<float> x, int channels, Span<double> gram)
    {
        if (x.Length != channels * 9 || gram.Length < 81) throw new ArgumentException("need channels x 9 weights and a 9 x 9 result");
        ref var first = ref MemoryMarshal.GetReference(x);
        Vector256<double> a00 = default, a01 = default, a10 = default, a11 = default;
        Vector256<double> a20 = default, a21 = default, a30 = default, a31 = default;
        Vector256<double> low8 = default, high8 = default, last8 = default;
        for (var c = 0; c < channels; c++)
        {
            ref var p = ref Unsafe.Add(ref first, c * 9);
            var (v0, v1) = Vector256.Widen(Vector256.LoadUnsafe(ref p));
            var v58 = Vector256.WidenLower(Vector256.Create(Vector128.LoadUnsafe(ref Unsafe.Add(ref p, 5)), Vector128<float>.Zero));
            // Taps are broadcast from the widened vectors: a scalar float-to-double conversion per tap would chain
            // the iterations through its register (it merges into the old value), which was measured slower.
            var x0 = Broadcast(v0, 0);
            a00 = Vector256.FusedMultiplyAdd(x0, v0, a00);
            a01 = Vector256.FusedMultiplyAdd(x0, v1, a01);
            var x1 = Broadcast(v0, 1);
            a10 = Vector256.FusedMultiplyAdd(x1, v0, a10);
            a11 = Vector256.FusedMultiplyAdd(x1, v1, a11);
            var x2 = Broadcast(v0, 2);
            a20 = Vector256.FusedMultiplyAdd(x2, v0, a20);
            a21 = Vector256.FusedMultiplyAdd(x2, v1, a21);
            var x3 = Broadcast(v0, 3);
            a30 = Vector256.FusedMultiplyAdd(x3, v0, a30);
            a31 = Vector256.FusedMultiplyAdd(x3, v1, a31);
            var x8 = Broadcast(v58, 3);
            low8 = Vector256.FusedMultiplyAdd(x8, v0, low8);
            high8 = Vector256.FusedMultiplyAdd(x8, v1, high8);
            last8 = Vector256.FusedMultiplyAdd(x8, v58, last8); // lane 3: tap 8 with itself
        }
        StoreRow(gram, 0, a00, a01);
        StoreRow(gram, 1, a10, a11);
        StoreRow(gram, 2, a20, a21);
        StoreRow(gram, 3, a30, a31);
        for (var i = 0; i < 4; i++)
        {
            gram[i * 9 + 8] = low8[i];
            gram[(i + 4) * 9 + 8] = high8[i];
        }
        gram[80] = last8[3];

        Vector256<double> b4 = default, b5 = default, b6 = default, b7 = default;
        for (var c = 0; c < channels; c++)
        {
            var v1 = Vector256.WidenUpper(Vector256.LoadUnsafe(ref Unsafe.Add(ref first, c * 9)));
            b4 = Vector256.FusedMultiplyAdd(Broadcast(v1, 0), v1, b4);
            b5 = Vector256.FusedMultiplyAdd(Broadcast(v1, 1), v1, b5);
            b6 = Vector256.FusedMultiplyAdd(Broadcast(v1, 2), v1, b6);
            b7 = Vector256.FusedMultiplyAdd(Broadcast(v1, 3), v1, b7);
        }
        StoreRow(gram, 4, default, b4);
        StoreRow(gram, 5, default, b5);
        StoreRow(gram, 6, default, b6);
        StoreRow(gram, 7, default, b7);
        for (var i = 0; i < 9; i++)
        {
            for (var j = 0; j < i; j++) gram[i * 9 + j] = gram[j * 9 + i];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Broadcast(Vector256<double> v, long lane) => Vector256.Shuffle(v, Vector256.Create(lane));

    /// <summary>Columns i..7 of row i of the upper triangle from its two column blocks (taps 0-3 and 4-7).</summary>
    private static void StoreRow(Span<double> gram, int i, Vector256<double> left, Vector256<double> right)
    {
        for (var j = i; j < 8; j++) gram[i * 9 + j] = j < 4 ? left[j] : right[j - 4];
    }

    /// <summary>Row x against the four consecutive rows in <paramref name="y"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot4(ReadOnlySpan<double> x, ReadOnlySpan<double> y, int length,
        out double d0, out double d1, out double d2, out double d3)
    {
        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var y0 = ref MemoryMarshal.GetReference(y);
        ref var y1 = ref Unsafe.Add(ref y0, length);
        ref var y2 = ref Unsafe.Add(ref y1, length);
        ref var y3 = ref Unsafe.Add(ref y2, length);
        Vector256<double> a0 = default, a1 = default, a2 = default, a3 = default;
        var k = 0;
        for (; k + 4 <= length; k += 4)
        {
            var xv = Vector256.LoadUnsafe(ref xr, (nuint)k);
            a0 = Vector256.FusedMultiplyAdd(xv, Vector256.LoadUnsafe(ref y0, (nuint)k), a0);
            a1 = Vector256.FusedMultiplyAdd(xv, Vector256.LoadUnsafe(ref y1, (nuint)k), a1);
            a2 = Vector256.FusedMultiplyAdd(xv, Vector256.LoadUnsafe(ref y2, (nuint)k), a2);
            a3 = Vector256.FusedMultiplyAdd(xv, Vector256.LoadUnsafe(ref y3, (nuint)k), a3);
        }
        double s0 = Vector256.Sum(a0), s1 = Vector256.Sum(a1), s2 = Vector256.Sum(a2), s3 = Vector256.Sum(a3);
        for (; k < length; k++)
        {
            var xk = Unsafe.Add(ref xr, k);
            s0 = Math.FusedMultiplyAdd(xk, Unsafe.Add(ref y0, k), s0);
            s1 = Math.FusedMultiplyAdd(xk, Unsafe.Add(ref y1, k), s1);
            s2 = Math.FusedMultiplyAdd(xk, Unsafe.Add(ref y2, k), s2);
            s3 = Math.FusedMultiplyAdd(xk, Unsafe.Add(ref y3, k), s3);
        }
        (d0, d1, d2, d3) = (s0, s1, s2, s3);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var yr = ref MemoryMarshal.GetReference(y);
        Vector256<double> a0 = default, a1 = default;
        var k = 0;
        for (; k + 8 <= x.Length; k += 8)
        {
            a0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref xr, (nuint)k), Vector256.LoadUnsafe(ref yr, (nuint)k), a0);
            a1 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref xr, (nuint)k + 4), Vector256.LoadUnsafe(ref yr, (nuint)k + 4), a1);
        }
        if (k + 4 <= x.Length)
        {
            a0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref xr, (nuint)k), Vector256.LoadUnsafe(ref yr, (nuint)k), a0);
            k += 4;
        }
        var sum = Vector256.Sum(a0 + a1);
        for (; k < x.Length; k++) sum = Math.FusedMultiplyAdd(Unsafe.Add(ref xr, k), Unsafe.Add(ref yr, k), sum);
        return sum;
    }
}
