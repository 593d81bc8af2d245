namespace AudioPrune.Pruning.Numerics;

/// <summary>How a filter becomes the unit vector the similarity criteria compare.</summary>
public enum Representation
{
    /// <summary>The paper's: sign-fixed dominant left singular vector of the (kh*kw x C) matrix.</summary>
    Rank1,

    /// <summary>The whole filter flattened (C*kh*kw values).</summary>
    Flatten,
}

/// <summary>Computes the prototypes of METHOD.md section 1.1.</summary>
public static class Prototypes
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
        var zero = new List<int>();
        for (var f = 0; f < bank.Filters; f++)
        {
            var row = bank.Filter(f);
            var norm = Math.Sqrt(DenseProducts.Dot(row, row));
            if (norm == 0) zero.Add(f);
            else inverse[f] = 1 / norm;
        }
        return PrototypeSet.Scaled(bank.Weights, bank.Filters, d, inverse, zero.ToArray());
    }

    /// <summary>
    /// p_f = U[:,0] * sign(V[0,0]) of X_f = U S V^T, X_f[tap, c] = W[f, c, tap]. The dominant singular pair comes
    /// from the Jacobi decomposition of the smaller Gram matrix (X X^T when kh*kw &lt;= C, else X^T X).
    /// </summary>
    public static PrototypeSet Rank1(FilterBank bank)
    {
        var d = bank.Taps;
        var rows = new double[bank.Filters * d];
        var degenerate = new bool[bank.Filters];
        var zero = new bool[bank.Filters];
        Parallel.For(0, bank.Filters, new ParallelOptions { MaxDegreeOfParallelism = bank.Filters * bank.FilterLength > 200_000 ? -1 : 1 }, f =>
        {
            var (u, v) = DominantPair(bank, f);
            if (u is null)
            {
                zero[f] = true;
                return;
            }
            // v is unit length, so "zero" is an absolute tolerance on it.
            var sign = Math.Abs(v[0]) > ZeroTolerance ? Math.Sign(v[0]) : 0;
            if (sign == 0)
            {
                degenerate[f] = true;
                sign = Math.Sign(v.First(x => Math.Abs(x) > ZeroTolerance));
            }
            for (var t = 0; t < d; t++) rows[f * d + t] = sign * u[t];
        });
        return PrototypeSet.Explicit(rows, bank.Filters, d,
            Enumerable.Range(0, bank.Filters).Where(f => degenerate[f]).ToArray(),
            Enumerable.Range(0, bank.Filters).Where(f => zero[f]).ToArray());
    }

    /// <summary>Unit U[:,0] (length kh*kw) and V[:,0] (length C) of filter f, or (null, null) for a zero filter.</summary>
    private static (double[]? U, double[] V) DominantPair(FilterBank bank, int f)
    {
        int taps = bank.Taps, channels = bank.Channels;
        var x = bank.Filter(f); // x[c * taps + tap] = X[tap, c]: each channel's taps are contiguous
        if (taps <= channels)
        {
            // X X^T (taps x taps) as a sum of outer products of the channels' tap vectors; its top eigenvector is
            // U[:,0], and V[:,0] = X^T u / s.
            var gram = TapGram(x, taps, channels);
            for (var i = 0; i < taps; i++)
            {
                for (var j = 0; j < i; j++) gram[i * taps + j] = gram[j * taps + i];
            }
            var (value, u) = SymmetricEigen.Dominant(gram, taps);
            if (!(value > 0)) return (null, []);
            var v = new double[channels];
            for (var c = 0; c < channels; c++)
            {
                double sum = 0;
                for (var t = 0; t < taps; t++) sum += x[c * taps + t] * u[t];
                v[c] = sum;
            }
            Normalise(v);
            return (u, v);
        }
        else
        {
            // X^T X (C x C): its top eigenvector is V[:,0]; U[:,0] = X v / s.
            var gram = new double[channels * channels];
            for (var i = 0; i < channels; i++)
            {
                for (var j = i; j < channels; j++)
                {
                    double g = 0;
                    for (var t = 0; t < taps; t++) g += (double)x[i * taps + t] * x[j * taps + t];
                    gram[i * channels + j] = g;
                    gram[j * channels + i] = g;
                }
            }
            var (value, v) = SymmetricEigen.Dominant(gram, channels);
            if (!(value > 0)) return (null, []);
            var u = new double[taps];
            for (var c = 0; c < channels; c++)
            {
                for (var t = 0; t < taps; t++) u[t] += x[c * taps + t] * v[c];
            }
            Normalise(u);
            return (u, v);
        }
    }

    /// <summary>
    /// Upper triangle of X X^T = sum over channels of the outer product of their tap vectors (contiguous in the
    /// weights). The hot loop of the rank-1 prototypes: pointer arithmetic keeps it free of bounds checks.
    /// </summary>
    private static unsafe double[] TapGram(ReadOnlySpan<float> x, int taps, int channels)
    {
        var gram = new double[taps * taps];
        var column = stackalloc double[taps];
        fixed (float* weights = x)
        fixed (double* g = gram)
        {
            for (var c = 0; c < channels; c++)
            {
                var source = weights + c * taps;
                for (var t = 0; t < taps; t++) column[t] = source[t];
                for (var i = 0; i < taps; i++)
                {
                    var ci = column[i];
                    var row = g + i * taps;
                    for (var j = i; j < taps; j++) row[j] += ci * column[j];
                }
            }
        }
        return gram;
    }

    private static void Normalise(double[] v)
    {
        var norm = Math.Sqrt(DenseProducts.Dot(v, v));
        if (norm > 0) for (var i = 0; i < v.Length; i++) v[i] /= norm;
    }
}
