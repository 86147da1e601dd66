package org.w2lab.score;

import java.util.random.RandomGenerator;
import org.w2lab.linalg.Matrices;
import org.w2lab.sampler.ParticleBlock;

/**
 * {@code N} iid samples of {@code p_data = N(m, U diag(lambda) U^T)}, which SGD visits uniformly with replacement
 * (Hurault et al.'s empirical score matching).
 */
public final class TrainingSet implements DataSource {
    private final int d;
    private final int n;
    /** The samples, column-major {@code d x N}. */
    private final double[] x;

    private TrainingSet(int d, int n, double[] x) {
        this.d = d;
        this.n = n;
        this.x = x;
    }

    /**
     * @param basis {@code U}, column-major; {@code null} for the identity
     * @param n     the number of samples {@code N >= 1}
     */
    public static TrainingSet draw(double[] basis, double[] lambda, int n, RandomGenerator rng) {
        return draw(basis, lambda, null, n, rng);
    }

    /**
     * @param basis {@code U}, column-major; {@code null} for the identity
     * @param mean  {@code m} in the data's basis; {@code null} for centred data
     * @param n     the number of samples {@code N >= 1}
     */
    public static TrainingSet draw(double[] basis, double[] lambda, double[] mean, int n, RandomGenerator rng) {
        double[] sd = new double[lambda.length];
        for (int i = 0; i < sd.length; i++) {
            sd[i] = Math.sqrt(lambda[i]);
        }
        return new TrainingSet(lambda.length, n, ParticleBlock.sample(basis, sd, mean, n, rng).values());
    }

    @Override
    public int dimension() {
        return d;
    }

    public int size() {
        return n;
    }

    @Override
    public void next(RandomGenerator rng, double[] out) {
        System.arraycopy(x, rng.nextInt(n) * d, out, 0, d);
    }

    /** The sample mean {@code m^}. */
    public double[] mean() {
        double[] m = new double[d];
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < d; i++) {
                m[i] += x[j * d + i];
            }
        }
        for (int i = 0; i < d; i++) {
            m[i] /= n;
        }
        return m;
    }

    /** The empirical covariance {@code C^} with divisor {@code N} (the one the dataset optimum involves). */
    public double[] covariance() {
        return covariance(mean());
    }

    private double[] covariance(double[] m) {
        double[] centred = new double[d * n];
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < d; i++) {
                centred[j * d + i] = x[j * d + i] - m[i];
            }
        }
        return Matrices.gram(d, n, centred, 1.0 / n);
    }

    /**
     * The minimizer of the empirical DSM loss averaged over the noise, where the SGD iterates' mean settles
     * (docs/theory.md, section 10.1): {@code A^ = C^ (C^ + sigma^2 I)^{-1} = I - sigma^2 (C^ + sigma^2 I)^{-1}},
     * {@code b^ = (I - A^) m^}.
     */
    public Denoiser optimum(double sigma) {
        double s2 = sigma * sigma;
        double[] mean = mean();
        double[] shifted = covariance(mean);
        for (int i = 0; i < d; i++) {
            shifted[i * d + i] += s2;
        }
        double[] a = new double[d * d];
        double[] column = new double[d];
        for (int j = 0; j < d; j++) {
            java.util.Arrays.fill(column, 0);
            column[j] = s2;
            double[] solved = Matrices.solve(d, shifted, column);
            for (int i = 0; i < d; i++) {
                a[j * d + i] = (i == j ? 1 : 0) - solved[i];
            }
        }
        double[] b = Matrices.solve(d, shifted, mean);
        for (int i = 0; i < d; i++) {
            b[i] *= s2;
        }
        return new Denoiser(d, a, b);
    }
}
