package org.w2lab.wasserstein;

/**
 * The second-order expansion of {@code W2^2(N(m, S), N(0, diag(lambda)))} around a diagonal covariance
 * {@code S0 = diag(sigma0)} (docs/theory.md, 10.6): with {@code S = S0 + S1 + S2},
 * {@code W2^2 = sum_i (sqrt sigma0_i - sqrt lambda_i)^2 + |m|^2 + sum_i g_i (S1 + S2)_ii + sum_ij h_ij (S1)_ij^2}.
 */
public final class BuresExpansion {
    private BuresExpansion() {
    }

    /** {@code g = 1 - sqrt(lambda / sigma0)}: the first derivative of the Bures term in a diagonal entry. */
    public static double g(double lambda, double sigma0) {
        return 1 - Math.sqrt(lambda / sigma0);
    }

    /**
     * {@code h_xy = sqrt(x y) / (2 sqrt(s_x s_y) (sqrt(x s_x) + sqrt(y s_y)))}, the coefficient of
     * {@code (S1)_xy^2}, for target eigenvalues {@code x, y} and reference variances {@code s_x, s_y}; 0 when
     * {@code x y = 0} (the target has no mass there to couple).
     */
    public static double h(double x, double sx, double y, double sy) {
        if (x == 0 || y == 0) {
            return 0;
        }
        return Math.sqrt(x * y) / (2 * Math.sqrt(sx * sy) * (Math.sqrt(x * sx) + Math.sqrt(y * sy)));
    }
}
