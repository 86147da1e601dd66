package org.w2lab.score;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;
import org.w2lab.linalg.Matrices;
import org.w2lab.wasserstein.BuresW2;

/**
 * The Gaussian fit of SGD iterates drawn independently (one final iterate per seed), as parameter vectors
 * {@code theta = (vec A, b)} in the eigenbasis of the data ({@link SgdStationaryLaw#parameters()}), and its W2 to
 * the predicted Gaussian law of the iterates: Hurault et al.'s Figure 1 (docs/theory.md, 10.9).
 *
 * @param n          the number of iterates
 * @param mean       their sample mean
 * @param covariance their sample covariance (divisor {@code n - 1}), column-major
 */
public record IterateFit(int n, double[] mean, double[] covariance) implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * {@code theta} of a learned denoiser in the eigenbasis: {@code (vec U^T A U, U^T b)}. The map is orthogonal,
     * so W2 between laws of {@code theta} is the same in either basis.
     *
     * @param basis {@code U}, column-major; {@code null} for the identity
     */
    public static double[] parameters(Denoiser learned, double[] basis) {
        int d = learned.d();
        Denoiser rotated = learned.inBasis(basis);
        double[] theta = Arrays.copyOf(rotated.a(), d * d + d);
        System.arraycopy(rotated.b(), 0, theta, d * d, d);
        return theta;
    }

    /** The fit of the iterates, summed in the order given (so the bits are fixed by that order); needs two. */
    public static IterateFit of(List<double[]> thetas) {
        int n = thetas.size();
        if (n < 2) {
            throw new IllegalArgumentException("a covariance needs two iterates, got " + n);
        }
        int p = thetas.get(0).length;
        double[] mean = new double[p];
        for (double[] t : thetas) {
            for (int u = 0; u < p; u++) {
                mean[u] += t[u];
            }
        }
        for (int u = 0; u < p; u++) {
            mean[u] /= n;
        }
        double[] centred = new double[p * n];
        for (int k = 0; k < n; k++) {
            for (int u = 0; u < p; u++) {
                centred[k * p + u] = thetas.get(k)[u] - mean[u];
            }
        }
        return new IterateFit(n, mean, Matrices.gram(p, n, centred, 1.0 / (n - 1)));
    }

    /** W2 between this fit and the predicted Gaussian law of the iterates. */
    public double w2To(SgdStationaryLaw law) {
        return BuresW2.distance(mean, covariance, law.meanVector(), law.covarianceMatrix());
    }

    /** The total variance {@code tr Cov(theta)} of the iterates. */
    public double totalVariance() {
        return Matrices.trace(mean.length, covariance);
    }

    /**
     * The W2 a perfect prediction would show: the fits of {@code replicates} independent sets of {@code draws}
     * iterates drawn from the law's Gaussian approximation, each compared with that law, in increasing order. A
     * fit of the same number of real iterates whose W2 lies far in the upper tail of these says the prediction is
     * off by more than the sampling error of the fit (docs/theory.md, 10.9).
     */
    public static double[] samplingW2(SgdStationaryLaw law, int draws, int replicates, RandomGenerator rng) {
        double[] w2 = new double[replicates];
        Denoiser[] set = new Denoiser[draws];
        for (int r = 0; r < replicates; r++) {
            for (int k = 0; k < draws; k++) {
                set[k] = law.draw(rng);
            }
            w2[r] = of(Arrays.stream(set).map(x -> parameters(x, null)).toList()).w2To(law);
        }
        Arrays.sort(w2);
        return w2;
    }
}
