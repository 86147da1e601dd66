package org.w2lab.sampler;

import java.util.Arrays;
import org.w2lab.linalg.Matrices;
import org.w2lab.schedule.ForwardProcess;

/**
 * The exact score of the marginals of {@code p_data = N(mu, U diag(lambda) U^T)} under a forward process (models.md):
 * {@code s_t(y) = -Sigma_t^{-1} (y - alpha_t mu)}, {@code Sigma_t^{-1} = U diag(1 / sigma_t^2(lambda)) U^T}
 * ({@code alpha_t = e^{-B_t}} for VP, 1 for VE).
 */
public final class ExactVpScore implements LinearScore {
    private final ForwardProcess schedule;
    private final double[] lambda;
    private final double[] basis;
    private final double[] mu;
    /** Whether {@code mu = 0}: then {@code c_t = 0} without the {@code d^2} product. */
    private final boolean centred;

    /**
     * @param schedule the forward process
     * @param lambda   the eigenvalues (copied)
     * @param basis    the orthonormal eigenvectors {@code U}, column-major (copied); {@code null} for the identity,
     *                 whose score matrix is diagonal and written without a product
     * @param mu       the data mean (copied)
     */
    public ExactVpScore(ForwardProcess schedule, double[] lambda, double[] basis, double[] mu) {
        this.schedule = schedule;
        this.lambda = lambda.clone();
        this.basis = basis == null ? null : basis.clone();
        this.mu = mu.clone();
        this.centred = Arrays.stream(mu).allMatch(m -> m == 0);
    }

    @Override
    public int dimension() {
        return lambda.length;
    }

    /** {@code 1 / sigma_t^2(lambda)} of every eigenvalue, the schedule's exponentials computed once (the same bits). */
    private double[] precisions(double t) {
        int n = lambda.length;
        double[] kappa = new double[n];
        schedule.variances(lambda, t, kappa);
        for (int i = 0; i < n; i++) {
            if (kappa[i] <= 0) {
                throw new ScoreUndefinedException(t);
            }
            kappa[i] = 1 / kappa[i];
        }
        return kappa;
    }

    /**
     * In the identity basis {@code P_t = diag(1 / sigma_t^2)}, and {@code c_t = alpha_t P_t mu} entry by entry (the
     * dense product's sum has the one nonzero term).
     */
    @Override
    public double[] diagonalAt(double t, double[] c) {
        if (basis != null) {
            return null;
        }
        double[] kappa = precisions(t);
        double decay = centred ? 0 : schedule.scale(t);
        for (int i = 0; i < kappa.length; i++) {
            c[i] = centred ? 0.0 : decay * (0.0 + kappa[i] * mu[i]);
        }
        return kappa;
    }

    @Override
    public void at(double t, double[] p, double[] c) {
        int n = lambda.length;
        double[] kappa = precisions(t);
        if (basis == null) {
            Arrays.fill(p, 0, n * n, 0.0);
            for (int i = 0; i < n; i++) {
                p[i * n + i] = kappa[i];
            }
        } else {
            System.arraycopy(Matrices.fromEigen(n, basis, kappa), 0, p, 0, n * n);
        }
        if (centred) {
            Arrays.fill(c, 0, n, 0.0);
            return;
        }
        double decay = schedule.scale(t);
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int j = 0; j < n; j++) {
                sum += p[j * n + i] * mu[j];
            }
            c[i] = decay * sum;
        }
    }
}
