package org.w2lab.stats;

import org.apache.commons.math3.distribution.TDistribution;

/**
 * The mean over independent seeds and its 95% confidence interval: sample mean {@code x̄}, sample standard
 * deviation {@code s} (divisor {@code n - 1}) and half width {@code t_{0.975, n-1} s / sqrt(n)}, Student's
 * interval for the mean of iid values (exact for normal values, asymptotically valid otherwise).
 *
 * @param n      the number of values
 * @param mean   {@code x̄}; NaN when {@code n = 0}
 * @param sd     {@code s}; NaN when {@code n < 2}
 * @param ci95   the half width; NaN when {@code n < 2}
 */
public record SeedStatistics(int n, double mean, double sd, double ci95) {
    /**
     * @param values the values in seed order (the order of the sums, hence the bits, is fixed)
     */
    public static SeedStatistics of(double[] values) {
        int n = values.length;
        if (n == 0) {
            return new SeedStatistics(0, Double.NaN, Double.NaN, Double.NaN);
        }
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        double mean = sum / n;
        if (n < 2) {
            return new SeedStatistics(1, mean, Double.NaN, Double.NaN);
        }
        double squares = 0;
        for (double v : values) {
            squares += (v - mean) * (v - mean);
        }
        double sd = Math.sqrt(squares / (n - 1));
        return new SeedStatistics(n, mean, sd, tQuantile975(n - 1) * sd / Math.sqrt(n));
    }

    /** The half width of Student's interval for the mean at confidence {@code level} (0.95 gives {@link #ci95}). */
    public double halfWidth(double level) {
        return n < 2 ? Double.NaN
                : new TDistribution(null, n - 1).inverseCumulativeProbability((1 + level) / 2) * sd / Math.sqrt(n);
    }

    /** The 0.975 quantile of Student's t with {@code dof} degrees of freedom. */
    public static double tQuantile975(int dof) {
        return new TDistribution(null, dof).inverseCumulativeProbability(0.975);
    }
}
