package org.w2lab.sampler;

/**
 * A Gaussian law {@code N(mean, cov)} on {@code R^n}, the covariance as a column-major {@code n x n} array.
 * Immutable by convention: the engine returns new laws.
 *
 * @param n     the dimension
 * @param mean  the mean
 * @param cov   the covariance, symmetric positive semi-definite
 * @param carry what a multistep sampler keeps from earlier steps, jointly Gaussian with this law
 *              ({@link MultistepScheme}); {@code null} for a law on its own
 */
public record GaussianLaw(int n, double[] mean, double[] cov, Carry carry) {
    /** A law on its own, with nothing carried. */
    public GaussianLaw(int n, double[] mean, double[] cov) {
        this(n, mean, cov, null);
    }

    public GaussianLaw {
        if (mean.length != n || cov.length != n * n) {
            throw new IllegalArgumentException("a law on R^" + n + " needs " + n + " means and " + n * n
                    + " covariances, got " + mean.length + " and " + cov.length);
        }
    }

    /** {@code N(0, I)}. */
    public static GaussianLaw standard(int n) {
        double[] cov = new double[n * n];
        for (int i = 0; i < n; i++) {
            cov[i * n + i] = 1;
        }
        return new GaussianLaw(n, new double[n], cov);
    }
}
