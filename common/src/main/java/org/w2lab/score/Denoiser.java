package org.w2lab.score;

import java.io.Serializable;
import org.w2lab.linalg.Matrices;
import org.w2lab.sampler.LinearScore;

/**
 * A linear denoiser {@code D(y) = A y + b} at noise level {@code sigma} (models.md, Hurault et al.): its score is
 * {@code s(y) = (D(y) - y) / sigma^2 = -P y + c} with {@code P = (I - A) / sigma^2}, {@code c = b / sigma^2}
 * (Tweedie).
 *
 * @param d the dimension
 * @param a {@code A}, column-major {@code d x d}
 * @param b {@code b}
 */
public record Denoiser(int d, double[] a, double[] b) implements Serializable {
    public Denoiser {
        if (a.length != d * d || b.length != d) {
            throw new IllegalArgumentException("a denoiser on R^" + d + " needs a " + d + " x " + d + " matrix and "
                    + d + " offsets");
        }
    }

    /**
     * The population optimum of denoising score matching for {@code N(0, U diag(lambda) U^T)}:
     * {@code A* = C (C + sigma^2 I)^{-1}}, {@code b* = 0}, whose score is exactly that of
     * {@code p_data * N(0, sigma^2 I)} (models.md).
     *
     * @param basis {@code U}, column-major; {@code null} for the identity
     */
    public static Denoiser optimum(double[] lambda, double[] basis, double sigma) {
        return optimum(lambda, basis, null, sigma);
    }

    /**
     * The population optimum for {@code N(m, U diag(lambda) U^T)}: {@code A*} as for centred data,
     * {@code b* = (I - A*) m} (docs/theory.md, 10.10), the score of {@code p_data * N(0, sigma^2 I)}.
     *
     * @param basis {@code U}, column-major; {@code null} for the identity
     * @param mean  {@code m} in the data's basis; {@code null} for centred data
     */
    public static Denoiser optimum(double[] lambda, double[] basis, double[] mean, double sigma) {
        int d = lambda.length;
        double[] alpha = new double[d];
        for (int i = 0; i < d; i++) {
            alpha[i] = lambda[i] / (lambda[i] + sigma * sigma);
        }
        double[] a;
        if (basis == null) {
            a = new double[d * d];
            for (int i = 0; i < d; i++) {
                a[i * d + i] = alpha[i];
            }
        } else {
            a = Matrices.fromEigen(d, basis, alpha);
        }
        double[] b = new double[d];
        if (mean != null) {
            double[] am = Matrices.apply(d, a, mean);
            for (int i = 0; i < d; i++) {
                b[i] = mean[i] - am[i];
            }
        }
        return new Denoiser(d, a, b);
    }

    /** Whether every entry is finite (an SGD run that blew up is not). */
    public boolean isFinite() {
        for (double x : a) {
            if (!Double.isFinite(x)) {
                return false;
            }
        }
        for (double x : b) {
            if (!Double.isFinite(x)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The same denoiser in the coordinates {@code x' = U^T x}: {@code U^T A U}, {@code U^T b} (an orthonormal change of
     * basis, so it is {@code D} seen from the data's eigenbasis when {@code U} holds the eigenvectors).
     *
     * @param basis {@code U}, column-major; {@code null} for the identity (this denoiser is returned)
     */
    public Denoiser inBasis(double[] basis) {
        if (basis == null) {
            return this;
        }
        double[] ut = new double[d * d];
        for (int j = 0; j < d; j++) {
            for (int i = 0; i < d; i++) {
                ut[i * d + j] = basis[j * d + i];
            }
        }
        return new Denoiser(d, Matrices.times(d, Matrices.times(d, ut, a), basis), Matrices.apply(d, ut, b));
    }

    /** The score of this denoiser at noise level {@code sigma}, constant in time. */
    public LinearScore score(double sigma) {
        double s2 = sigma * sigma;
        return new LinearScore() {
            @Override
            public int dimension() {
                return d;
            }

            @Override
            public void at(double t, double[] p, double[] c) {
                for (int j = 0; j < d; j++) {
                    for (int i = 0; i < d; i++) {
                        p[j * d + i] = ((i == j ? 1 : 0) - a[j * d + i]) / s2;
                    }
                    c[j] = b[j] / s2;
                }
            }
        };
    }
}
