package org.w2lab.wasserstein;

import org.w2lab.linalg.Matrices;
import org.w2lab.linalg.SymmetricEigen;

/**
 * The expectation of the Gaussian-fit estimator: {@code M} iid draws of {@code N(m, S)}, their sample mean
 * {@code m^} and unbiased sample covariance {@code S^}, and {@code W2^2(N(m^, S^), N(mu, C))}. To first order in
 * {@code 1/M} (docs/theory.md, section 6):
 * <pre>
 *   E W2^2(fit) = W2^2(N(m, S), N(mu, C)) + tr S / M
 *                 + 1 / (2 (M - 1)) sum_{i,j} (1 + delta_ij) sqrt(k_i k_j) / (sqrt(k_i) + sqrt(k_j)),
 * </pre>
 * {@code k} the eigenvalues of {@code C^{1/2} S C^{1/2}} (terms with {@code k_i = k_j = 0} are 0). The estimator is
 * biased upward: the mean term by the variance of the sample mean, the cross term by the concavity of the square
 * root (Jensen).
 */
public final class GaussianFitBias {
    private GaussianFitBias() {
    }

    /**
     * The first-order bias {@code E W2^2(fit) - W2^2(N(m, S), N(mu, C))}.
     *
     * @param s the covariance of the sampled law (not modified)
     * @param c the covariance of the target (not modified)
     * @param m the number of particles, {@code >= 2}
     */
    public static double ofSquared(int n, double[] s, double[] c, int m) {
        if (m < 2) {
            throw new IllegalArgumentException("the sample covariance needs at least 2 particles, got " + m);
        }
        double[] root = Matrices.sqrtPsd(n, c);
        double[] k = SymmetricEigen.of(n, Matrices.symmetrize(n, Matrices.times(n, Matrices.times(n, root, s), root)),
                false).values();
        return fromEigenvalues(k, Matrices.trace(n, s), m);
    }

    /**
     * The same bias from the eigenvalues {@code k} of {@code C^{1/2} S C^{1/2}} and {@code tr S}: the form used by
     * {@link GaussianTarget}, which has those eigenvalues already.
     */
    static double fromEigenvalues(double[] k, double traceS, int m) {
        int n = k.length;
        double[] sq = new double[n];
        for (int i = 0; i < n; i++) {
            sq[i] = Math.sqrt(Math.max(k[i], 0));
        }
        double cross = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double denominator = sq[i] + sq[j];
                if (denominator > 0) {
                    cross += (i == j ? 2 : 1) * sq[i] * sq[j] / denominator;
                }
            }
        }
        return traceS / m + cross / (2.0 * (m - 1));
    }
}
