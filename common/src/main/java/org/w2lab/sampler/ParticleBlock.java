package org.w2lab.sampler;

import java.util.random.RandomGenerator;
import org.w2lab.linalg.BlockProduct;
import org.w2lab.linalg.Matrices;
import org.w2lab.random.RandomStreams;

/**
 * {@code M} particles in {@code R^d} as one {@code d x M} column-major block (particle {@code j} is column
 * {@code j}), so that applying a matrix to every particle is one block product.
 */
public final class ParticleBlock {
    final int d;
    final int m;
    double[] x;
    /** What a multistep scheme carries from step to step ({@link MultistepScheme}); {@code null} at the start. */
    Carry carry;
    /** A second block of the same shape, which a step writes into before the two are swapped. */
    private double[] spare;

    ParticleBlock(int d, int m, double[] x) {
        this.d = d;
        this.m = m;
        this.x = x;
    }

    /** {@code M} draws of {@code law}: {@code mean + S^{1/2} z}. */
    public static ParticleBlock sample(GaussianLaw law, int m, RandomGenerator rng) {
        int d = law.n();
        double[] z = new double[d * m];
        RandomStreams.fillNormal(rng, z);
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
        return sample(basis, sd, null, m, rng);
    }

    /**
     * {@code M} draws of {@code N(mean, U diag(sd^2) U^T)}: {@code mean + U (sd * z)}.
     *
     * @param basis the orthonormal {@code U}, column-major; {@code null} for the identity
     * @param sd    the standard deviations along the columns of {@code U}
     * @param mean  the mean; {@code null} for a centred law
     */
    public static ParticleBlock sample(double[] basis, double[] sd, double[] mean, int m, RandomGenerator rng) {
        int d = sd.length;
        double[] z = new double[d * m];
        RandomStreams.fillNormal(rng, z);
        for (int j = 0; j < m; j++) {
            for (int i = 0; i < d; i++) {
                z[j * d + i] *= sd[i];
            }
        }
        double[] x = basis == null ? z : Matrices.times(d, m, basis, z);
        if (mean != null) {
            for (int j = 0; j < m; j++) {
                for (int i = 0; i < d; i++) {
                    x[j * d + i] += mean[i];
                }
            }
        }
        return new ParticleBlock(d, m, x);
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
     * {@code Y <- A X + Y}: one block product ({@link BlockProduct}), or elementwise when {@code A} is diagonal (the
     * identity basis), the same arithmetic on each entry without the zeros.
     */
    void mapAdd(double[] a, double[] y) {
        double[] diagonal = Matrices.diagonalOrNull(d, a);
        if (diagonal == null) {
            BlockProduct.timesAdd(d, m, a, x, y);
            return;
        }
        for (int j = 0; j < m; j++) {
            for (int i = 0; i < d; i++) {
                y[j * d + i] += diagonal[i] * x[j * d + i];
            }
        }
    }

    /** {@code A X} as a new block. */
    double[] mapped(double[] a) {
        double[] y = new double[x.length];
        mapAdd(a, y);
        return y;
    }

    /** The spare block, for a step to write the next particles into before {@link #swap()}. */
    double[] spare() {
        if (spare == null) {
            spare = new double[x.length];
        }
        return spare;
    }

    /** Makes the spare block the particles (and the old particles the spare): a step without a copy. */
    void swap() {
        double[] t = x;
        x = spare;
        spare = t;
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
