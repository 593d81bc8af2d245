using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AudioPrune.Pruning.Numerics;

/// <summary>
/// The nearest neighbour of filter i in its distance row, with SIMD: the minimum over j != i, then the first j
/// holding it. That is the reference rule (the first j with the smallest distance, ties to the lowest index) for
/// any row without NaN; a row where it cannot decide (NaN, or fewer than two filters) is left to the scalar scan.
/// </summary>
internal static class RowMinimum
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryNearest(ReadOnlySpan<double> row, int i, out int nearest, out double distance)
    {
        nearest = -1;
        distance = Math.Min(Minimum(row[..i]), Minimum(row[(i + 1)..]));
        if (row.Length < 2 || double.IsNaN(distance) || double.IsPositiveInfinity(distance)) return false;
        nearest = FirstEqual(row, distance, i);
        return nearest >= 0;
    }

    /// <summary>The smallest value (NaN if any is NaN; +infinity for an empty span).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Minimum(ReadOnlySpan<double> values)
    {
        var k = 0;
        var smallest = double.PositiveInfinity;
        if (values.Length >= 2 * Vector256<double>.Count)
        {
            var low = Vector256.Create(double.PositiveInfinity);
            var high = low;
            for (; k + 8 <= values.Length; k += 8)
            {
                low = Vector256.Min(low, Vector256.Create(values.Slice(k, 4)));
                high = Vector256.Min(high, Vector256.Create(values.Slice(k + 4, 4)));
            }
            var both = Vector256.Min(low, high);
            for (var lane = 0; lane < 4; lane++) smallest = Math.Min(smallest, both[lane]);
        }
        for (; k < values.Length; k++) smallest = Math.Min(smallest, values[k]);
        return smallest;
    }

    /// <summary>The first index j != skip with values[j] == target, or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int FirstEqual(ReadOnlySpan<double> values, double target, int skip)
    {
        var k = 0;
        var wanted = Vector256.Create(target);
        for (; k + 4 <= values.Length; k += 4)
        {
            var mask = Vector256.Equals(Vector256.Create(values.Slice(k, 4)), wanted).ExtractMostSignificantBits();
            if (skip >= k && skip < k + 4) mask &= ~(1u << (skip - k));
            if (mask != 0) return k + BitOperations.TrailingZeroCount(mask);
        }
        for (; k < values.Length; k++)
        {
            if (k != skip && values[k] == target) return k;
        }
        return -1;
    }
}
