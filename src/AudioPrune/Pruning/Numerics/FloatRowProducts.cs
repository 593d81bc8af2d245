using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace AudioPrune.Pruning.Numerics;

/// <summary>
/// C = A B^T in double for long float rows: every row of A (n x d) against a few chosen rows B (m x d), the
/// Nystrom product C = P P[:,L]^T of a "flatten" layer (2048 rows of 18432 weights against 64 landmarks in CNN14).
/// A blocked SIMD kernel: per chunk of k, a block of rows and the landmarks (padded to a multiple of four) are
/// widened to double, and each step of four k feeds two rows x four landmarks = eight fused multiply-adds from six
/// loads. The layer's weights are read from memory once (the landmarks once per block), which beat libtorch's
/// float64 BLAS on a double copy of the layer (docs/performance.md, "Pruning kernels").
/// </summary>
internal static class FloatRowProducts
{
    /// <summary>Values of k per pass: a block's rows (128 x 256 doubles) and 64 landmarks (64 x 256) fill most of L2.</summary>
    private const int ChunkLength = 256;

    /// <summary>
    /// Distance between packed chunks: one cache line more than the chunk, so that the six streams of the kernel
    /// (2 KB apart otherwise) do not all fall into the same L1 sets.
    /// </summary>
    private const int Stride = ChunkLength + 8;

    /// <summary>Rows per parallel task.</summary>
    private const int RowBlock = 128;

    private const int LandmarkGroup = 4;

    public static double[] Multiply(float[] a, int n, int d, IReadOnlyList<int> rows, bool parallel)
    {
        var m = rows.Count;
        var padded = (m + LandmarkGroup - 1) / LandmarkGroup * LandmarkGroup;
        var c = new double[n * m];
        var blocks = (n + RowBlock - 1) / RowBlock;
        Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = parallel ? -1 : 1 },
            () => new double[(RowBlock + padded) * Stride], // the block's rows, then the landmarks (beyond m: zero)
            (block, _, scratch) =>
            {
                RowBlockProducts(a, d, rows, padded, c, block * RowBlock, Math.Min(n, (block + 1) * RowBlock), scratch);
                return scratch;
            },
            _ => { });
        return c;
    }

    /// <summary>
    /// Rows i0..i1-1 of C. Per chunk of k, the rows and landmarks are widened into the scratch; then each group of
    /// four landmarks (8 KB, in L1) meets every pair of rows (streamed from L2).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RowBlockProducts(float[] a, int d, IReadOnlyList<int> rows, int padded, double[] c, int i0, int i1, double[] scratch)
    {
        var m = rows.Count;
        Span<double> sums = stackalloc double[2 * LandmarkGroup];
        var block = scratch.AsSpan(0, RowBlock * Stride);
        var packed = scratch.AsSpan(RowBlock * Stride);
        for (var k0 = 0; k0 < d; k0 += ChunkLength)
        {
            var length = Math.Min(ChunkLength, d - k0);
            for (var l = 0; l < m; l++) Widen(a.AsSpan(rows[l] * d + k0, length), packed.Slice(l * Stride, length));
            for (var i = i0; i < i1; i++) Widen(a.AsSpan(i * d + k0, length), block.Slice((i - i0) * Stride, length));
            for (var l = 0; l < padded; l += LandmarkGroup)
            {
                var landmarks = packed.Slice(l * Stride, (LandmarkGroup - 1) * Stride + length);
                for (var i = i0; i < i1; i += 2)
                {
                    // An odd last row is paired with itself; its second set of sums is dropped.
                    var second = Math.Min(i + 1, i1 - 1);
                    TwoByFour(block.Slice((i - i0) * Stride, length), block.Slice((second - i0) * Stride, length), landmarks, Stride, sums);
                    for (var g = 0; g < LandmarkGroup && l + g < m; g++)
                    {
                        c[i * m + l + g] += sums[g];
                        if (second != i) c[second * m + l + g] += sums[LandmarkGroup + g];
                    }
                }
            }
        }
    }

    /// <summary>
    /// sums[r * 4 + g] = &lt;x_r, b_g&gt; for the rows x0, x1 and the four landmark chunks at b, b + stride, ...
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TwoByFour(ReadOnlySpan<double> x0, ReadOnlySpan<double> x1, ReadOnlySpan<double> b, int stride, Span<double> sums)
    {
        var length = x0.Length;
        ref var r0 = ref MemoryMarshal.GetReference(x0);
        ref var r1 = ref MemoryMarshal.GetReference(x1);
        ref var b0 = ref MemoryMarshal.GetReference(b);
        ref var b1 = ref Unsafe.Add(ref b0, stride);
        ref var b2 = ref Unsafe.Add(ref b1, stride);
        ref var b3 = ref Unsafe.Add(ref b2, stride);
        Vector256<double> c00 = default, c01 = default, c02 = default, c03 = default;
        Vector256<double> c10 = default, c11 = default, c12 = default, c13 = default;
        var k = 0;
        for (; k + 4 <= length; k += 4)
        {
            var offset = (nuint)k;
            var v0 = Vector256.LoadUnsafe(ref r0, offset);
            var v1 = Vector256.LoadUnsafe(ref r1, offset);
            var w0 = Vector256.LoadUnsafe(ref b0, offset);
            var w1 = Vector256.LoadUnsafe(ref b1, offset);
            var w2 = Vector256.LoadUnsafe(ref b2, offset);
            var w3 = Vector256.LoadUnsafe(ref b3, offset);
            c00 = Vector256.FusedMultiplyAdd(v0, w0, c00);
            c01 = Vector256.FusedMultiplyAdd(v0, w1, c01);
            c02 = Vector256.FusedMultiplyAdd(v0, w2, c02);
            c03 = Vector256.FusedMultiplyAdd(v0, w3, c03);
            c10 = Vector256.FusedMultiplyAdd(v1, w0, c10);
            c11 = Vector256.FusedMultiplyAdd(v1, w1, c11);
            c12 = Vector256.FusedMultiplyAdd(v1, w2, c12);
            c13 = Vector256.FusedMultiplyAdd(v1, w3, c13);
        }
        sums[0] = Vector256.Sum(c00);
        sums[1] = Vector256.Sum(c01);
        sums[2] = Vector256.Sum(c02);
        sums[3] = Vector256.Sum(c03);
        sums[4] = Vector256.Sum(c10);
        sums[5] = Vector256.Sum(c11);
        sums[6] = Vector256.Sum(c12);
        sums[7] = Vector256.Sum(c13);
        for (; k < length; k++)
        {
            double p = Unsafe.Add(ref r0, k), q = Unsafe.Add(ref r1, k);
            double w0 = Unsafe.Add(ref b0, k), w1 = Unsafe.Add(ref b1, k), w2 = Unsafe.Add(ref b2, k), w3 = Unsafe.Add(ref b3, k);
            sums[0] += p * w0;
            sums[1] += p * w1;
            sums[2] += p * w2;
            sums[3] += p * w3;
            sums[4] += q * w0;
            sums[5] += q * w1;
            sums[6] += q * w2;
            sums[7] += q * w3;
        }
    }

    /// <summary>target[k] = (double)source[k].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Widen(ReadOnlySpan<float> source, Span<double> target)
    {
        var k = 0;
        for (; k + 8 <= source.Length; k += 8)
        {
            var (low, high) = Vector256.Widen(Vector256.Create(source.Slice(k, 8)));
            low.CopyTo(target.Slice(k, 4));
            high.CopyTo(target.Slice(k + 4, 4));
        }
        for (; k < source.Length; k++) target[k] = source[k];
    }
}
