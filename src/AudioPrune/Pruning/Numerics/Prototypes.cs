using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AudioPrune.Pruning.Numerics;

/// <summary>Computes the filter prototypes of the similarity criteria (docs/method.md, `similarity`; Interspeech 2022).</summary>
internal static class Prototypes
{
    /// <summary>Size below which an entry of the unit vector V[:,0] counts as zero (V[0,0] = 0 is the degenerate case).</summary>
    private const double ZeroTolerance = 1e-12;

    public static PrototypeSet Of(FilterBank bank, Representation representation) => representation switch
    {
        Representation.Rank1 => Rank1(bank),
        _ => Flatten(bank),
    };

    /// <summary>
    /// Each filter flattened and normalised; an all-zero filter stays zero (it is then equally far from all).
    /// The prototypes stay implicit (the float weights and 1/|W[f]|): a wide layer's would be hundreds of MB as doubles.
    /// </summary>
    public static PrototypeSet Flatten(FilterBank bank)
    {
        var d = bank.FilterLength;
        var inverse = new double[bank.Filters];
        var isZero = new bool[bank.Filters];
        var parallel = (long)bank.Filters * d > ParallelWork ? -1 : 1;
        Parallel.For(0, bank.Filters, new ParallelOptions { MaxDegreeOfParallelism = parallel }, f =>
        {
            var row = bank.Filter(f);
            var norm = Math.Sqrt(DenseProducts.Dot(row, row));
            if (norm == 0) isZero[f] = true;
            else inverse[f] = 1 / norm;
        });
        var zero = Enumerable.Range(0, bank.Filters).Where(f => isZero[f]).ToList();
        return PrototypeSet.Scaled(bank.Weights, bank.Filters, d, inverse, zero.ToArray());
    }

    /// <summary>
    /// p_f = U[:,0] * sign(V[0,0]) of X_f = U S V^T, X_f[tap, c] = W[f, c, tap]. The dominant singular pair comes
    /// from the eigen-decomposition of the smaller Gram matrix (X X^T when kh*kw &lt;= C, else X^T X). Filters are
    /// independent, so wide layers split them over the cores, each thread with its own scratch rows.
    /// </summary>
    public static PrototypeSet Rank1(FilterBank bank)
    {
        var d = bank.Taps;
        var rows = new double[bank.Filters * d];
        var degenerate = new bool[bank.Filters];
        var zero = new bool[bank.Filters];
        var parallel = (long)bank.Filters * bank.FilterLength > ParallelWork ? -1 : 1;
        Parallel.For(0, bank.Filters, new ParallelOptions { MaxDegreeOfParallelism = parallel },
            () => new Workspace(bank.Taps, bank.Channels),
            (f, _, workspace) =>
            {
                var (u, v) = DominantPair(bank, f, workspace);
                if (u is null)
                {
                    zero[f] = true;
                    return workspace;
                }
                var sign = SignOf(v, out degenerate[f]);
                for (var t = 0; t < d; t++) rows[f * d + t] = sign * u[t];
                return workspace;
            },
            _ => { });
        return PrototypeSet.Explicit(rows, bank.Filters, d,
            Enumerable.Range(0, bank.Filters).Where(f => degenerate[f]).ToArray(),
            Enumerable.Range(0, bank.Filters).Where(f => zero[f]).ToArray());
    }

    /// <summary>Weights (filters x values per filter) above which the rank-1 prototypes use every core.</summary>
    private const long ParallelWork = 200_000;

    /// <summary>
    /// sign(V[0,0]) of the unit vector V[:,0] = v / |v|, or, when that entry is zero (the degenerate case), the sign
    /// of its first non-zero entry. v is unit length after the division, so "zero" is an absolute tolerance.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int SignOf(ReadOnlySpan<double> v, out bool degenerate)
    {
        var norm = Math.Sqrt(DenseProducts.Dot(v, v));
        degenerate = false;
        for (var c = 0; c < v.Length; c++)
        {
            var entry = v[c] / norm;
            if (Math.Abs(entry) > ZeroTolerance) return Math.Sign(entry);
            degenerate = true;
        }
        // Unreachable for a non-zero filter (some entry of a unit vector exceeds the tolerance).
        return 1;
    }

    /// <summary>One thread's scratch: the filter as double rows, its Gram matrix and V[:,0].</summary>
    private sealed class Workspace(int taps, int channels)
    {
        // 3x3 filters with at least nine channels never need the rows (their Gram comes from the weights).
        public readonly double[] Rows = taps == 9 && channels >= taps ? [] : new double[taps * channels];
        public readonly double[] Gram = new double[Math.Min(taps, channels) * Math.Min(taps, channels)];
        public readonly double[] V = new double[channels];
    }

    /// <summary>
    /// Unit U[:,0] (length kh*kw) and V[:,0] up to its positive scale (length C, in the workspace) of filter f, or
    /// (null, empty) for a zero filter. When V[0,0] alone settles the sign, V is just that entry.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (double[]? U, double[] V) DominantPair(FilterBank bank, int f, Workspace work)
    {
        int taps = bank.Taps, channels = bank.Channels;
        var x = bank.Filter(f); // x[c * taps + tap] = X[tap, c]: each channel's taps are contiguous
        var rows = work.Rows;
        if (taps <= channels)
        {
            // X X^T (taps x taps); its top eigenvector is U[:,0], and V[:,0] is proportional to X^T u. A 3x3 filter's
            // Gram comes straight from the weights; other kernels from the transposed rows of X (each tap over C).
            if (taps == 9) FilterGram.OfTaps3x3(x, channels, work.Gram);
            else
            {
                Transpose(x, taps, channels, rows);
                FilterGram.OfRows(rows, taps, channels, work.Gram);
            }
            var (value, u) = SymmetricEigen.Dominant(work.Gram, taps);
            if (!(value > 0)) return (null, []);
            // Only the sign of V[0,0] is needed. |X^T u| = sqrt(value), so a first entry clearly above the zero
            // tolerance decides it alone; near or below the tolerance all of V[:,0] is computed and judged as usual.
            var first = ChannelDot(x, 0, taps, u);
            if (Math.Abs(first) > 2 * ZeroTolerance * Math.Sqrt(value)) return (u, [first]);
            var v = work.V;
            for (var c = 0; c < channels; c++) v[c] = ChannelDot(x, c, taps, u);
            return (u, v);
        }
        else
        {
            // X^T X (C x C) from the channels' tap vectors: its top eigenvector is V[:,0]; U[:,0] = X v / s.
            for (var i = 0; i < x.Length; i++) rows[i] = x[i];
            FilterGram.OfRows(rows, channels, taps, work.Gram);
            var (value, v) = SymmetricEigen.Dominant(work.Gram, channels);
            if (!(value > 0)) return (null, []);
            var u = new double[taps];
            for (var c = 0; c < channels; c++) DenseProducts.Accumulate(u, v[c], rows.AsSpan(c * taps, taps));
            var norm = Math.Sqrt(DenseProducts.Dot(u, u));
            for (var t = 0; t < taps; t++) u[t] /= norm;
            return (u, v);
        }
    }

    /// <summary>(X^T u)[c] = sum over taps of x[c * taps + t] u[t], in ascending t.</summary>
    private static double ChannelDot(ReadOnlySpan<float> x, int c, int taps, double[] u)
    {
        double sum = 0;
        for (var t = 0; t < taps; t++) sum += x[c * taps + t] * u[t];
        return sum;
    }

    /// <summary>
    /// rows[t * C + c] = x[c * taps + t] in double: the filter's tap rows. Unchecked references, because this touches
    /// every weight of the layer and bounds checks on two computed indices per element added much to its cost.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Transpose(ReadOnlySpan<float> x, int taps, int channels, double[] rows)
    {
        if (x.Length != taps * channels || rows.Length < taps * channels) throw new ArgumentException("filter and scratch sizes differ");
        ref var source = ref MemoryMarshal.GetReference(x);
        ref var target = ref MemoryMarshal.GetArrayDataReference(rows);
        for (var c = 0; c < channels; c++)
        {
            ref var channel = ref Unsafe.Add(ref source, c * taps);
            for (var t = 0; t < taps; t++) Unsafe.Add(ref target, t * channels + c) = Unsafe.Add(ref channel, t);
        }
    }
}
