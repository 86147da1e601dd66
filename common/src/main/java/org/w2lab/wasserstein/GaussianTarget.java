package org.w2lab.wasserstein;

import java.io.Serializable;
import org.w2lab.linalg.Matrices;
import org.w2lab.linalg.SymmetricEigen;

/**
 * A Gaussian target {@code N(m, C)}, {@code C = U diag(v) U^T}, and the Gaussian-fit estimate of the W2 distance
 * from particles to it. The fit is the particles' sample mean {@code m^} and unbiased covariance {@code S^};
 * {@code W2^2(N(m^, S^), N(m, C)) = |m^ - m|^2 + tr S^ + tr C - 2 sum_i sqrt(k_i)}, {@code k} the eigenvalues
 * of {@code C^{1/2} S^ C^{1/2}} (models.md, "Wasserstein-2 between Gaussians"). The same eigenvalues give the
 * estimator's first-order bias (docs/theory.md, section 6), which is subtracted from {@code W2^2}.
 */
public final class GaussianTarget {
    private final int n;
    /** {@code C^{1/2}}, column-major; {@code null} when {@code U} is the identity and {@link #sd} is the root. */
    private final double[] root;
    private final double[] sd;
    private final double traceC;
    /** {@code m}; {@code null} for a centred target. */
    private final double[] targetMean;

    /**
     * A centred target.
     *
     * @param basis     the orthonormal {@code U}, column-major; {@code null} for the identity
     * @param variances the eigenvalues {@code v >= 0} of {@code C}
     */
    public GaussianTarget(double[] basis, double[] variances) {
        this(basis, variances, null);
    }

    /**
     * @param basis     the orthonormal {@code U}, column-major; {@code null} for the identity
     * @param variances the eigenvalues {@code v >= 0} of {@code C}
     * @param mean      {@code m}; {@code null} for a centred target
     */
    public GaussianTarget(double[] basis, double[] variances, double[] mean) {
        this.targetMean = mean == null ? null : mean.clone();
        this.n = variances.length;
        this.sd = new double[n];
        double trace = 0;
        for (int i = 0; i < n; i++) {
            sd[i] = Math.sqrt(variances[i]);
            trace += variances[i];
        }
        this.traceC = trace;
        this.root = basis == null ? null : Matrices.fromEigen(n, basis, sd);
    }

    /**
     * The Gaussian-fit estimate from {@code M} particles.
     *
     * @param mean the sample mean (not modified)
     * @param cov  the unbiased sample covariance, column-major (not modified)
     * @param m    the number of particles, {@code >= 2}
     */
    public FitEstimate estimate(double[] mean, double[] cov, int m) {
        double[] middle;
        if (root == null) {
            middle = new double[n * n];
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < n; i++) {
                    middle[j * n + i] = sd[i] * cov[j * n + i] * sd[j];
                }
            }
        } else {
            middle = Matrices.symmetrize(n, Matrices.times(n, Matrices.times(n, root, cov), root));
        }
        double[] k = SymmetricEigen.of(n, middle, false).values();
        double meanTerm = 0;
        for (int i = 0; i < n; i++) {
            double x = targetMean == null ? mean[i] : mean[i] - targetMean[i];
            meanTerm += x * x;
        }
        double cross = 0;
        for (double x : k) {
            cross += Math.sqrt(Math.max(x, 0));
        }
        double traceS = Matrices.trace(n, cov);
        double squared = Math.max(meanTerm + traceS + traceC - 2 * cross, 0);
        return new FitEstimate(Math.sqrt(squared), GaussianFitBias.fromEigenvalues(k, traceS, m));
    }

    /**
     * The estimate.
     *
     * @param w2Fit      {@code W2(N(m^, S^), target)}, biased upward by the finite number of particles
     * @param biasSquared the estimated first-order bias of {@code W2^2} ({@link GaussianFitBias}, evaluated at
     *                    {@code S^})
     */
    public record FitEstimate(double w2Fit, double biasSquared) implements Serializable {
        /**
         * {@code w2Fit^2 - biasSquared}: the estimate of {@code W2^2} with its first-order bias removed, unclipped.
         * Negative when the bias exceeds the estimate, i.e. the error is below the estimator's resolution; its mean
         * over seeds is the one without the upward bias that clipping adds.
         */
        public double w2sqCorrected() {
            return w2Fit * w2Fit - biasSquared;
        }

        /**
         * {@code sqrt(max(w2sqCorrected, 0))}: the estimate of {@code W2} with the bias of its square removed (0 when
         * the bias exceeds the estimate).
         */
        public double w2Corrected() {
            return Math.sqrt(Math.max(w2sqCorrected(), 0));
        }
    }
}
