namespace AudioPrune.Study;

/// <summary>Student's t distribution for whole degrees of freedom, from its closed-form distribution function.</summary>
internal static class StudentT
{
    /// <summary>The t with P(T &lt;= t) = <paramref name="p"/>, for p in [0.5, 1), found by bisection.</summary>
    public static double Quantile(double p, int degreesOfFreedom)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(degreesOfFreedom, 1);
        if (!(p is >= 0.5 and < 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "expected a probability in [0.5, 1)");
        var central = 2 * p - 1;
        var (low, high) = (0.0, 1.0);
        while (Central(high, degreesOfFreedom) < central) (low, high) = (high, 2 * high);
        while (high - low > 1e-13 * high)
        {
            var middle = (low + high) / 2;
            if (Central(middle, degreesOfFreedom) < central) low = middle;
            else high = middle;
        }
        return (low + high) / 2;
    }

    /// <summary>P(|T| &lt;= t) for t &gt;= 0, the finite series of Abramowitz and Stegun 26.7.3 (odd) and 26.7.4 (even).</summary>
    public static double Central(double t, int degreesOfFreedom)
    {
        var theta = Math.Atan(t / Math.Sqrt(degreesOfFreedom));
        var cos = Math.Cos(theta);
        var odd = degreesOfFreedom % 2 == 1;
        var term = odd ? cos : 1.0;
        var sum = 0.0;
        for (var k = 0; k < degreesOfFreedom / 2; k++)
        {
            if (k > 0) term *= cos * cos * (odd ? 2.0 * k / (2 * k + 1) : (2.0 * k - 1) / (2 * k));
            sum += term;
        }
        return odd ? 2 / Math.PI * (theta + Math.Sin(theta) * sum) : Math.Sin(theta) * sum;
    }
}
