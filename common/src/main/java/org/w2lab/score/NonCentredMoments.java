package org.w2lab.score;

import org.w2lab.linalg.Matrices;
import org.w2lab.linalg.SymmetricEigen;

/**
 * The stationary second moments of DSM-SGD when the data have a mean (docs/theory.md, 10.10): in the eigenbasis the
 * feature {@code u = (y, 1)} has mean {@code m = (mu, 1)} and covariance {@code Sigma = blockdiag(diag(s), 0)},
 * {@code s = lambda + sigma^2}, so {@code H = E[u u^T] = m m^T + Sigma} is no longer diagonal and neither is the
 * solution {@code W} of (10.2). Isserlis with a mean gives
 * {@code F(W) = (m^T W m + tr W Sigma) H + 2 (m m^T W Sigma + Sigma W m m^T) + 2 Sigma W Sigma}, and (10.2) is solved
 * as one linear system in the {@code (d+1)(d+2)/2} entries of the symmetric {@code W}.
 */
public final class NonCentredMoments {
    /** The largest dimension solved: the system has {@code (d+1)(d+2)/2} unknowns, LU costs their cube. */
    public static final int MAX_D = 32;

    private final int n;
    /** {@code m = (mu, 1)}. */
    private final double[] m;
    /** The diagonal of {@code Sigma}: {@code s_i}, then 0 for the constant feature. */
    private final double[] sigmaDiag;

    /**
     * @param lambda the eigenvalues of {@code C}
     * @param mean   the data mean in the eigenbasis, {@code U^T m}
     */
    public NonCentredMoments(double[] lambda, double[] mean, double sigma) {
        int d = lambda.length;
        this.n = d + 1;
        this.m = new double[n];
        this.sigmaDiag = new double[n];
        for (int i = 0; i < d; i++) {
            m[i] = mean[i];
            sigmaDiag[i] = lambda[i] + sigma * sigma;
        }
        m[d] = 1;
    }

    /** {@code H = m m^T + Sigma}, column-major {@code (d+1) x (d+1)}. */
    public double[] h() {
        double[] h = new double[n * n];
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                h[j * n + i] = m[i] * m[j] + (i == j ? sigmaDiag[i] : 0);
            }
        }
        return h;
    }

    /**
     * The eigenvalues of {@code H}: the rates {@code 1 - tau h} at which the mean of the iterates settles (10.1).
     */
    public double[] hEigenvalues() {
        return SymmetricEigen.of(n, h(), false).values();
    }

    /** The mean stability bound {@code 2 / lambda_max(H)} (10.10; 10.1 for {@code mu = 0}). */
    public double meanStabilityBound() {
        double max = 0;
        for (double v : hEigenvalues()) {
            max = Math.max(max, v);
        }
        return 2 / max;
    }

    /**
     * {@code W} solving (10.2), column-major {@code (d+1) x (d+1)}; {@code null} when it is not positive definite
     * (past the variance stability bound the system's solution has no meaning as a second moment) or singular.
     */
    public double[] w(double tau, int batch) {
        if (n - 1 > MAX_D) {
            throw new IllegalArgumentException("the exact SGD second moments with a data mean are solved up to d = "
                    + MAX_D + " (a dense system in (d+1)(d+2)/2 unknowns); d = " + (n - 1));
        }
        int p = n * (n + 1) / 2;
        double[] system = new double[p * p];
        double[] basis = new double[n * n];
        int column = 0;
        for (int l = 0; l < n; l++) {
            for (int k = 0; k <= l; k++) {
                basis[l * n + k] = 1;
                basis[k * n + l] = 1;
                pack(operator(basis, tau, batch), system, column * p);
                basis[l * n + k] = 0;
                basis[k * n + l] = 0;
                column++;
            }
        }
        double[] rhs = new double[p];
        double[] h = h();
        for (int i = 0; i < n * n; i++) {
            h[i] /= batch;
        }
        pack(h, rhs, 0);
        double[] x;
        try {
            x = Matrices.solve(p, system, rhs);
        } catch (ArithmeticException e) {
            return null;
        }
        double[] w = new double[n * n];
        int u = 0;
        for (int l = 0; l < n; l++) {
            for (int k = 0; k <= l; k++) {
                w[l * n + k] = x[u];
                w[k * n + l] = x[u];
                u++;
            }
        }
        for (double v : SymmetricEigen.of(n, w, false).values()) {
            if (!(v > 0)) {
                return null;
            }
        }
        return w;
    }

    /**
     * The variance stability bound: the largest {@code tau} below the mean bound where {@link #w} is positive
     * definite, by bisection (10.10; for {@code mu = 0} the root of (10.3)'s {@code tau^2 Phi = 1}).
     */
    public double varianceStabilityBound(int batch) {
        double lo = 0;
        double hi = meanStabilityBound();
        for (int k = 0; k < 200 && hi - lo > 1e-15 * hi; k++) {
            double mid = (lo + hi) / 2;
            if (w(mid, batch) != null) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The upper triangle of a symmetric matrix, column by column, into {@code out} from {@code offset}. */
    private void pack(double[] a, double[] out, int offset) {
        int u = offset;
        for (int l = 0; l < n; l++) {
            for (int k = 0; k <= l; k++) {
                out[u++] = a[l * n + k];
            }
        }
    }

    /** The left side of (10.2): {@code tau (H W + W H) - tau^2 [(1/B) F(W) + (1 - 1/B) H W H]}. */
    private double[] operator(double[] w, double tau, int batch) {
        double[] h = h();
        double[] hw = Matrices.times(n, h, w);
        double[] wh = Matrices.times(n, w, h);
        double[] hwh = Matrices.times(n, hw, h);
        double[] f = fourthMoment(w, h);
        double[] out = new double[n * n];
        for (int i = 0; i < n * n; i++) {
            out[i] = tau * (hw[i] + wh[i]) - tau * tau * (f[i] / batch + (1 - 1.0 / batch) * hwh[i]);
        }
        return out;
    }

    /** {@code F(W) = E[(u^T W u) u u^T]} by Isserlis with a mean (10.10). */
    private double[] fourthMoment(double[] w, double[] h) {
        double[] wm = Matrices.apply(n, w, m);
        double mwm = 0;
        double trace = 0;
        for (int i = 0; i < n; i++) {
            mwm += m[i] * wm[i];
            trace += w[i * n + i] * sigmaDiag[i];
        }
        double[] f = new double[n * n];
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                // (m m^T W Sigma)_ij = m_i (W m)_j s_j, and its transpose
                f[j * n + i] = (mwm + trace) * h[j * n + i]
                        + 2 * (m[i] * wm[j] * sigmaDiag[j] + sigmaDiag[i] * wm[i] * m[j])
                        + 2 * sigmaDiag[i] * w[j * n + i] * sigmaDiag[j];
            }
        }
        return f;
    }
}
