package org.w2lab.sampler;

import java.util.random.RandomGenerator;
import org.w2lab.linalg.Matrices;

/**
 * {@code M} particles in {@code R^d} as one {@code d x M} column-major block (particle {@code j} is column
 * {@code j}), so that applying a matrix to every particle is one BLAS product.
 */
public final class ParticleBlock {
    final int d;
    final int m;
    final double[] x;

    ParticleBlock(int d, int m, double[] x) {
        this.d = d;
        this.m = m;
        this.x = x;
    }

    /** {@code M} draws of {@code law}: {@code mean + S^{1/2} z}. */
    public static ParticleBlock sample(GaussianLaw law, int m, RandomGenerator rng) {
        int d = law.n();
        double[] z = new double[d * m];
        for (int i = 0; i < z.length; i++) {
            z[i] = rng.nextGaussian();
        }
        double[] x = Matrices.times(d, m, Matrices.sqrtPsd(d, law.cov()), z);
        for (int j = 0; j < m; j++) {
            for (int i = 0; i < d; i++) {
                x[j * d + i] += law.mean()[i];
            }
        }
        return new ParticleBlock(d, m, x);
    }

    /**
     * {@code M} draws of the centred law {@code N(0, U diag(sd^2) U^T)}: {@code U (sd * z)}, one product and no
     * square root to take.
     *
     * @param basis the orthonormal {@code U}, column-major; {@code null} for the identity
     * @param sd    the standard deviations along the columns of {@code U}
     */
    public static ParticleBlock sample(double[] basis, double[] sd, int m, RandomGenerator rng) {
        int d = sd.length;
        double[] z = new double[d * m];
        for (int j = 0; j < m; j++) {
            for (int i = 0; i < d; i++) {
                z[j * d + i] = sd[i] * rng.nextGaussian();
            }
        }
        return new ParticleBlock(d, m, basis == null ? z : Matrices.times(d, m, basis, z));
    }

    public int dimension() {
        return d;
    }

    public int size() {
        return m;
    }

    /** The block itself, column-major {@code d x M} (callers must not modify it). */
    public double[] values() {
        return x;
    }

    /**
     * {@code A X} as a new block: one BLAS product, or elementwise when {@code A} is diagonal (the identity basis),
     * the same arithmetic on each entry without the zeros.
     */
    double[] mapped(double[] a) {
        double[] diagonal = Matrices.diagonalOrNull(d, a);
        if (diagonal == null) {
            return Matrices.times(d, m, a, x);
        }
        double[] y = new double[x.length];
        for (int j = 0; j < m; j++) {
            for (int i = 0; i < d; i++) {
                y[j * d + i] = diagonal[i] * x[j * d + i];
            }
        }
        return y;
    }

    /** Whether every coordinate of every particle is finite (a run that overflowed is not). */
    public boolean isFinite() {
        for (double v : x) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    /** Replaces the particles by {@code y} (same shape). */
    void set(double[] y) {
        System.arraycopy(y, 0, x, 0, x.length);
    }

    /** The sample mean and the unbiased sample covariance (divisor {@code M - 1}) of the particles. */
    public GaussianLaw fit() {
        double[] mean = new double[d];
        for (int j = 0; j < m; j++) {
            for (int i = 0; i < d; i++) {
                mean[i] += x[j * d + i];
            }
        }
        for (int i = 0; i < d; i++) {
            mean[i] /= m;
        }
        double[] centred = new double[d * m];
        for (int j = 0; j < m; j++) {
            for (int i = 0; i < d; i++) {
                centred[j * d + i] = x[j * d + i] - mean[i];
            }
        }
        double[] cov = Matrices.gram(d, m, centred, 1.0 / (m - 1));
        return new GaussianLaw(d, mean, cov);
    }
}
