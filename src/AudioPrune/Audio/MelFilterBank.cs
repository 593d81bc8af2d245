using NWaves.Filters.Fda;

namespace AudioPrune.Audio;

/// <summary>
/// Mel filters stored sparsely (each band keeps only its non-zero run of FFT bins), in double precision.
/// Slaney filters come from NWaves' MelBankSlaney (equal to librosa's to 1e-9); HTK filters follow
/// VGGish's mel_features formulas.
/// </summary>
internal sealed class MelFilterBank
{
    private readonly int[] firstBin;
    private readonly double[][] weights;

    private MelFilterBank(int[] firstBin, double[][] weights, int bins)
    {
        this.firstBin = firstBin;
        this.weights = weights;
        Bins = bins;
    }

    public int Bands => weights.Length;
    public int Bins { get; }

    public static MelFilterBank Create(FrontEndSettings settings)
    {
        var bins = settings.FftSize / 2 + 1;
        var dense = settings.MelScale == MelScale.Slaney
            ? FilterBanks.MelBankSlaney(settings.MelBands, settings.FftSize, settings.SampleRate, settings.MinFrequency, settings.MaxFrequency)
                .Select(f => f.Select(w => (double)w).ToArray()).ToArray()
            : Htk(settings.MelBands, bins, settings.SampleRate, settings.MinFrequency, settings.MaxFrequency);
        var first = new int[dense.Length];
        var sparse = new double[dense.Length][];
        for (var b = 0; b < dense.Length; b++)
        {
            var row = dense[b];
            var lo = Array.FindIndex(row, w => w != 0);
            var hi = Array.FindLastIndex(row, w => w != 0);
            first[b] = Math.Max(lo, 0);
            sparse[b] = lo < 0 ? [] : row[lo..(hi + 1)];
        }
        return new MelFilterBank(first, sparse, bins);
    }

    /// <summary>Dense copy of one band's weights over all FFT bins (for inspection and tests).</summary>
    public double[] Dense(int band)
    {
        var row = new double[Bins];
        weights[band].CopyTo(row, firstBin[band]);
        return row;
    }

    public void Apply(ReadOnlySpan<double> spectrum, Span<double> mel)
    {
        for (var b = 0; b < weights.Length; b++)
            mel[b] = VectorMath.Dot(spectrum.Slice(firstBin[b], weights[b].Length), weights[b]);
    }

    private static double HzToHtkMel(double hz) => 1127.0 * Math.Log(1.0 + hz / 700.0);

    private static double[][] Htk(int bands, int bins, int sampleRate, double low, double high)
    {
        var nyquist = sampleRate / 2.0;
        var binMel = new double[bins];
        for (var k = 0; k < bins; k++) binMel[k] = HzToHtkMel(nyquist * k / (bins - 1));
        double lowMel = HzToHtkMel(low), highMel = HzToHtkMel(high);
        var result = new double[bands][];
        for (var b = 0; b < bands; b++)
        {
            var lower = lowMel + (highMel - lowMel) * b / (bands + 1);
            var centre = lowMel + (highMel - lowMel) * (b + 1) / (bands + 1);
            var upper = lowMel + (highMel - lowMel) * (b + 2) / (bands + 1);
            var row = new double[bins];
            // Bin 0 (DC) stays zero, as in mel_features.
            for (var k = 1; k < bins; k++)
                row[k] = Math.Max(0, Math.Min((binMel[k] - lower) / (centre - lower), (upper - binMel[k]) / (upper - centre)));
            result[b] = row;
        }
        return result;
    }
}
