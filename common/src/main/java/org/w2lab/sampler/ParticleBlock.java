package org.w2lab.sampler;

import java.util.random.RandomGenerator;
import org.w2lab.linalg.BlockProduct;
import org.w2lab.linalg.Matrices;
import org.w2lab.random.RandomStreams;

/**
 * {@code M} particles in {@code R^d} as one {@code d x M} column-major block (particle {@code j} is column
 * {@code j}), so that applying a matrix to every particle is one block product.
 *
 * <p>A block may hold its particles in the coordinates of an orthonormal basis {@code U} ({@link #framed}): particle
 * {@code x} is stored as {@code y = U^T x}. A scheme driven by a score diagonal in {@code U} then steps every
 * coordinate alone, and the block turns the step's noise into those coordinates ({@link #fillNoise}): the run is the
 * one in the data's basis, written in another (docs/theory.md, 9).
 */
public final class ParticleBlock {
    final int d;
    final int m;
    double[] x;
    /** {@code U} when the particles are stored as {@code U^T x}; {@code null} otherwise. */
    private Frame frame;
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

    /** The particles of a column-major {@code d x M} block (copied). */
    public static ParticleBlock of(int d, double[] x) {
        if (x.length % d != 0) {
            throw new IllegalArgumentException("a block of particles in R^" + d + " needs a multiple of " + d
                    + " values, got " + x.length);
        }
        return new ParticleBlock(d, x.length / d, x.clone());
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

    /**
     * An orthonormal basis {@code U} and its transpose, made once for every block framed in it (a seed's chunks).
     *
     * @param basis      {@code U}, column-major
     * @param transposed {@code U^T}, column-major
     */
    public record Frame(double[] basis, double[] transposed) {
        /** @param basis the orthonormal {@code U}, column-major {@code d x d} */
        public static Frame of(int d, double[] basis) {
            return new Frame(basis, transpose(d, basis));
        }
    }

    /** This block's values declared as the coordinates {@code y = U^T x} of the particles {@code x = U y}: no product. */
    public ParticleBlock framed(Frame frame) {
        ParticleBlock framed = new ParticleBlock(d, m, x);
        framed.frame = frame;
        return framed;
    }

    /** These particles, which are in the data's basis, in the coordinates of {@code U}: {@code U^T x}. */
    public ParticleBlock rotatedInto(Frame frame) {
        ParticleBlock framed = new ParticleBlock(d, m, mapped(frame.transposed()));
        framed.frame = frame;
        return framed;
    }

    /** The particles in the data's basis: {@code U y} for a framed block, the values themselves otherwise. */
    public double[] inDataBasis() {
        return frame == null ? x : mapped(frame.basis());
    }

    /**
     * Fills {@code z} ({@code d x M}) with a step's standard normal noise in this block's coordinates. Framed, the
     * normals are drawn as in the data's basis and rotated, {@code U^T z}: the same draws, so the framed run is the
     * data-basis run to round-off (the rotation of an isotropic noise is all the exact score's steps need: every
     * other matrix of theirs is diagonal in {@code U}).
     */
    void fillNoise(RandomGenerator rng, double[] z) {
        RandomStreams.fillNormal(rng, z);
        if (frame != null) {
            double[] rotated = mapped(frame.transposed(), z);
            System.arraycopy(rotated, 0, z, 0, z.length);
        }
    }

    private static double[] transpose(int d, double[] a) {
        double[] t = new double[d * d];
        for (int j = 0; j < d; j++) {
            for (int i = 0; i < d; i++) {
                t[i * d + j] = a[j * d + i];
            }
        }
        return t;
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
        mapAdd(a, x, y);
    }

    private void mapAdd(double[] a, double[] z, double[] y) {
        double[] diagonal = Matrices.diagonalOrNull(d, a);
        if (diagonal == null) {
            BlockProduct.timesAdd(d, m, a, z, y);
            return;
        }
        diagonalAdd(diagonal, z, y);
    }

    /** {@code Y <- diag(a) X + Y}, elementwise. */
    void diagonalAdd(double[] diagonal, double[] y) {
        diagonalAdd(diagonal, x, y);
    }

    /** {@code diag(a) X} as a new block. */
    double[] diagonalMapped(double[] diagonal) {
        double[] y = new double[x.length];
        diagonalAdd(diagonal, x, y);
        return y;
    }

    private void diagonalAdd(double[] diagonal, double[] z, double[] y) {
        for (int j = 0; j < m; j++) {
            for (int i = 0; i < d; i++) {
                y[j * d + i] += diagonal[i] * z[j * d + i];
            }
        }
    }

    /** {@code A X} as a new block. */
    double[] mapped(double[] a) {
        return mapped(a, x);
    }

    /** {@code A Z} for a {@code d x M} block {@code Z}, as a new block. */
    private double[] mapped(double[] a, double[] z) {
        double[] y = new double[z.length];
        mapAdd(a, z, y);
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
        double[] mean = mean();
        return new GaussianLaw(d, mean, Matrices.gram(d, m, centred(mean), 1.0 / (m - 1)));
    }

    /** The sample mean of the particles. */
    public double[] mean() {
        double[] mean = new double[d];
        for (int j = 0; j < m; j++) {
            for (int i = 0; i < d; i++) {
                mean[i] += x[j * d + i];
            }
        }
        for (int i = 0; i < d; i++) {
            mean[i] /= m;
        }
        return mean;
    }

    /** The particles less {@code mean}, a new {@code d x M} column-major array. */
    public double[] centred(double[] mean) {
        double[] centred = new double[d * m];
        for (int j = 0; j < m; j++) {
            for (int i = 0; i < d; i++) {
                centred[j * d + i] = x[j * d + i] - mean[i];
            }
        }
        return centred;
    }
}
