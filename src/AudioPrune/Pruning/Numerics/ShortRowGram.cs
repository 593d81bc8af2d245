using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AudioPrune.Pruning.Numerics;

/// <summary>
/// The Gram matrix of many short rows (n rank-1 prototypes of 9 or 49 values; a Nystrom basis of n x k), the
/// product behind the exact similarity matrix. A dot product of 9 values per entry spends its time in loop overhead
/// and a horizontal sum; here A is transposed to d x n, and a tile of four rows of the result is accumulated as
/// SIMD lanes across eight columns j: per k, two loads of A^T feed eight fused multiply-adds. Every entry, whichever
/// lane or tail computes it, is the same chain acc = fma(a[i,k], a[j,k], acc) for k = 0..d-1 from acc = 0, and fma
/// is symmetric in its two factors, so the result is exactly symmetric and identical rows give identical entries.
/// </summary>
internal static class ShortRowGram
{
    private const int RowTile = 4;

    /// <summary>Columns of S per parallel task (a multiple of the eight-column SIMD step).</summary>
    private const int PanelWidth = 128;

    /// <param name="distances">Return D = 1 - S clamped to [0, 2] (<see cref="CosineDistances.ToDistances"/>), each
    /// row tile turned while it is in cache, instead of S.</param>
    public static double[] Of(double[] a, int n, int d, bool parallel, bool distances = false)
    {
        var s = GC.AllocateUninitializedArray<double>(n * n); // every entry is written below
        Tiles(a, n, d, parallel, () => s, tileRows: false, (_, i, j0, j1) =>
        {
            if (distances) CosineDistances.ToDistances(s.AsSpan(i * n + j0, j1 - j0), clamp: true);
        });
        return s;
    }

    /// <summary>
    /// target = (accumulate ? target : 0) + D / divisor with D = 1 - S clamped to [0, 2]: what turning S into D
    /// (<see cref="CosineDistances.ToDistances"/>) and then <see cref="DenseProducts.AddQuotient"/> give, entry by
    /// entry, but S and D exist only a row tile at a time (a group's members add their distances to its mean).
    /// </summary>
    public static void AddDistanceQuotient(double[] a, int n, int d, bool parallel, double[] target, double divisor, bool accumulate)
    {
        if (target.Length != n * n) throw new ArgumentException("the target is not n x n");
        Tiles(a, n, d, parallel, () => new double[RowTile * n], tileRows: true, (tile, i, j0, j1) =>
        {
            var row = tile.AsSpan(i % RowTile * n + j0, j1 - j0);
            CosineDistances.ToDistances(row, clamp: true);
            DenseProducts.AddQuotient(target.AsSpan(i * n + j0, j1 - j0), row, divisor, accumulate);
        });
    }

    /// <summary>
    /// Computes S tile by tile into the buffer each task gets from <paramref name="buffer"/> (all of S, or with
    /// <paramref name="tileRows"/> one tile of four rows by n), calling <paramref name="rowDone"/>(buffer, i, j0, j1)
    /// for every row i of a finished tile.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tiles(double[] a, int n, int d, bool parallel, Func<double[]> buffer, bool tileRows, Action<double[], int, int, int> rowDone)
    {
        var transposed = new double[d * n];
        for (var i = 0; i < n; i++)
        {
            for (var k = 0; k < d; k++) transposed[k * n + i] = a[i * d + k];
        }
        var tiles = (n + RowTile - 1) / RowTile;
        var panels = (n + PanelWidth - 1) / PanelWidth;
        // Column panels outermost: a panel of A^T (d x 128, 64 KB for a Nystrom basis of k = 64) stays in L2 while
        // every row tile passes over it; row tiles outermost would stream all of A^T from memory once per tile.
        Parallel.For(0, panels, new ParallelOptions { MaxDegreeOfParallelism = parallel ? -1 : 1 }, buffer, (panel, _, s) =>
        {
            var j0 = panel * PanelWidth;
            var j1 = Math.Min(n, j0 + PanelWidth);
            for (var tile = 0; tile < tiles; tile++)
            {
                var i0 = tile * RowTile;
                var first = tileRows ? i0 : 0; // the row of S that the buffer's row 0 holds
                if (i0 + RowTile <= n) FourRows(a, transposed, s, n, d, i0, first, j0, j1);
                else for (var i = i0; i < n; i++) OneRow(a, transposed, s, n, d, i, first, j0, j1);
                for (var i = i0; i < Math.Min(n, i0 + RowTile); i++) rowDone(s, i, j0, j1);
            }
            return s;
        }, _ => { });
    }

    /// <summary>Rows i0..i0+3 of S, columns j0..j1-1, into s from its row i0 - first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FourRows(double[] a, double[] t, double[] s, int n, int d, int i0, int first, int j0, int j1)
    {
        ref var a0 = ref a[i0 * d];
        ref var a1 = ref Unsafe.Add(ref a0, d);
        ref var a2 = ref Unsafe.Add(ref a1, d);
        ref var a3 = ref Unsafe.Add(ref a2, d);
        ref var tr = ref t[0];
        var j = j0;
        for (; j + 8 <= j1; j += 8)
        {
            Vector256<double> c00 = default, c01 = default, c10 = default, c11 = default;
            Vector256<double> c20 = default, c21 = default, c30 = default, c31 = default;
            for (var k = 0; k < d; k++)
            {
                var offset = (nuint)(k * n + j);
                var t0 = Vector256.LoadUnsafe(ref tr, offset);
                var t1 = Vector256.LoadUnsafe(ref tr, offset + 4);
                var x0 = Vector256.Create(Unsafe.Add(ref a0, k));
                var x1 = Vector256.Create(Unsafe.Add(ref a1, k));
                var x2 = Vector256.Create(Unsafe.Add(ref a2, k));
                var x3 = Vector256.Create(Unsafe.Add(ref a3, k));
                c00 = Vector256.FusedMultiplyAdd(x0, t0, c00);
                c01 = Vector256.FusedMultiplyAdd(x0, t1, c01);
                c10 = Vector256.FusedMultiplyAdd(x1, t0, c10);
                c11 = Vector256.FusedMultiplyAdd(x1, t1, c11);
                c20 = Vector256.FusedMultiplyAdd(x2, t0, c20);
                c21 = Vector256.FusedMultiplyAdd(x2, t1, c21);
                c30 = Vector256.FusedMultiplyAdd(x3, t0, c30);
                c31 = Vector256.FusedMultiplyAdd(x3, t1, c31);
            }
            var row = (i0 - first) * n + j;
            c00.CopyTo(s, row);
            c01.CopyTo(s, row + 4);
            c10.CopyTo(s, row + n);
            c11.CopyTo(s, row + n + 4);
            c20.CopyTo(s, row + 2 * n);
            c21.CopyTo(s, row + 2 * n + 4);
            c30.CopyTo(s, row + 3 * n);
            c31.CopyTo(s, row + 3 * n + 4);
        }
        for (; j < j1; j++)
        {
            for (var r = 0; r < RowTile; r++) s[(i0 + r - first) * n + j] = Entry(a, t, n, d, i0 + r, j);
        }
    }

    /// <summary>Row i of S, columns j0..j1-1, for the rows left over after the four-row tiles (into s's row i - first).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void OneRow(double[] a, double[] t, double[] s, int n, int d, int i, int first, int j0, int j1)
    {
        var j = j0;
        for (; j + 4 <= j1; j += 4)
        {
            var c = Vector256<double>.Zero;
            for (var k = 0; k < d; k++) c = Vector256.FusedMultiplyAdd(Vector256.Create(a[i * d + k]), Vector256.Create(t.AsSpan(k * n + j, 4)), c);
            c.CopyTo(s, (i - first) * n + j);
        }
        for (; j < j1; j++) s[(i - first) * n + j] = Entry(a, t, n, d, i, j);
    }

    /// <summary>One entry by the same fused multiply-add chain as the SIMD lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Entry(double[] a, double[] t, int n, int d, int i, int j)
    {
        double c = 0;
        for (var k = 0; k < d; k++) c = Math.FusedMultiplyAdd(a[i * d + k], t[k * n + j], c);
        return c;
    }
}
