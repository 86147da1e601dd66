package org.w2lab.simulation;

import org.w2lab.linalg.Matrices;
import org.w2lab.sampler.GaussianLaw;
import org.w2lab.sampler.ParticleBlock;

/**
 * The sample mean and unbiased covariance of particles met in parts (chunks of a seed's particles), combined
 * exactly by the pairwise update of the centred sums of squares (Chan, Golub &amp; LeVeque 1979): for a part of
 * {@code m} particles with mean {@code x} and centred sums {@code S_x}, {@code S <- S + S_x + n m / (n + m) (x - mean)
 * (x - mean)^T}, {@code mean <- mean + m / (n + m) (x - mean)}. Each part is centred on its own mean, as a whole block
 * is in {@link ParticleBlock#fit()}.
 */
final class Moments {
    private final int d;
    private long n;
    private final double[] mean;
    private double[] squares;

    Moments(int d) {
        this.d = d;
        this.mean = new double[d];
    }

    long count() {
        return n;
    }

    void add(ParticleBlock part) {
        int m = part.size();
        double[] partMean = part.mean();
        double[] gram = Matrices.gram(d, m, part.centred(partMean), 1.0);
        if (n == 0) {
            System.arraycopy(partMean, 0, mean, 0, d);
            squares = gram;
            n = m;
            return;
        }
        double weight = (double) n * m / (n + m);
        double share = (double) m / (n + m);
        double[] delta = new double[d];
        for (int i = 0; i < d; i++) {
            delta[i] = partMean[i] - mean[i];
        }
        for (int j = 0; j < d; j++) {
            for (int i = 0; i < d; i++) {
                squares[j * d + i] += gram[j * d + i] + weight * delta[i] * delta[j];
            }
        }
        for (int i = 0; i < d; i++) {
            mean[i] += share * delta[i];
        }
        n += m;
    }

    /** The sample mean and the unbiased sample covariance (divisor {@code n - 1}) of every particle added. */
    GaussianLaw law() {
        double[] cov = new double[d * d];
        for (int i = 0; i < cov.length; i++) {
            cov[i] = squares[i] / (n - 1);
        }
        return new GaussianLaw(d, mean.clone(), cov);
    }
}
