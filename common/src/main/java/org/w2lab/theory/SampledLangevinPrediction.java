package org.w2lab.theory;

import java.util.random.RandomGenerator;
import org.w2lab.score.Denoiser;
import org.w2lab.score.SgdStationaryLaw;
import org.w2lab.score.TrainingSet;

/**
 * The expected squared W2 error of the whole {@code ula} pipeline predicted by sampling, with no SGD run
 * (docs/theory.md, 10.11): {@code E W2^2(stationary law of ULA given (A, b), p_data)} over draws of the learned
 * {@code (A, b)} = the optimum of a training set of {@code N} samples drawn from {@code p_data} (exact: the dataset
 * is drawn and its optimum solved, 10.1) plus SGD's fluctuation around it, drawn from its Gaussian law with the
 * exact stationary second moments (10.3). Unlike {@link LangevinPrediction} it neither expands {@code W2^2} to second
 * order in the fluctuation nor the dataset optimum to first order in {@code 1/N}; each draw costs a training set and
 * a Lyapunov equation, so it is for moderate {@code d} ({@link #MAX_D}). Draws are made in blocks until the
 * estimate's 95% half-width is at most {@link #RELATIVE_HALF_WIDTH} of it ({@link #estimate}).
 */
public final class SampledLangevinPrediction {
    /** The largest dimension predicted by sampling (a draw costs {@code N d^2 + d^3}). */
    public static final int MAX_D = 64;
    /** The target 95% half-width of the estimate, relative to it. */
    public static final double RELATIVE_HALF_WIDTH = 0.01;
    /** Draws per block; the estimate is checked against its target after each. */
    static final int BLOCK = 500;
    /** The most draws one estimate may take. */
    public static final int MAX_DRAWS = 50_000;
    /** The most a draw may exceed the mean by, as a factor: more says heavy tails ({@link #estimate}). */
    static final double MAX_RATIO = 50;

    private final double[] lambda;
    private final double[] mean;
    private final double sigma;
    private final int n;
    private final SgdStationaryLaw optimization;
    private final Denoiser optimum;
    private final ConditionalLangevin chain;

    /**
     * @param mean  the data mean in the eigenbasis ({@code U^T m}; W2 does not depend on the basis)
     * @param n     training samples; 0 for fresh samples at every step ({@code N = infinity})
     * @throws IllegalArgumentException when {@code tau} is at or past the SGD variance stability bound
     */
    public SampledLangevinPrediction(double[] lambda, double[] mean, double sigma, double gamma, double tau,
                                     int batch, int n) {
        this.lambda = lambda.clone();
        this.mean = mean.clone();
        this.sigma = sigma;
        this.n = n;
        this.optimization = new SgdStationaryLaw(lambda, mean, sigma, tau, batch, 0, SgdStationaryLaw.Order.EXACT);
        // the law is linear in its normals: at zero they give its mean, the population optimum (A*, b*)
        this.optimum = optimization.draw(new double[optimization.normals()]);
        this.chain = new ConditionalLangevin(lambda, null, mean, sigma, gamma);
    }

    /**
     * @param w2sq       the estimate of {@code E W2^2}, over the draws whose chain has a stationary law
     * @param ci95       its Monte Carlo 95% half-width
     * @param draws      the draws made
     * @param stationary those whose chain has a stationary law (the others are left out, as seeds whose chain
     *                   diverged are)
     */
    public record Estimate(double w2sq, double ci95, int draws, int stationary) implements java.io.Serializable {
    }

    /**
     * Draws until the estimate's 95% half-width is at most {@link #RELATIVE_HALF_WIDTH} of it; {@code null} when
     * the draws so far say that {@link #MAX_DRAWS} would not be enough (the half-width shrinks as the square root of
     * the draws), or when one draw is more than {@link #MAX_RATIO} times their mean. Both happen near the stability
     * bound, where a learned chain close to divergence has a huge stationary variance and {@code W2^2} has heavy
     * tails: its mean over seeds does not settle either, and a sample variance says so only late.
     */
    public Estimate estimate(RandomGenerator rng) {
        return estimate(rng, RELATIVE_HALF_WIDTH);
    }

    /** {@link #estimate(RandomGenerator)} to another relative 95% half-width. */
    public Estimate estimate(RandomGenerator rng, double relativeHalfWidth) {
        double sum = 0;
        double sumSq = 0;
        double largest = 0;
        int draws = 0;
        int stationary = 0;
        while (true) {
            for (int k = 0; k < BLOCK; k++) {
                double w = chain.w2Stationary(draw(rng));
                draws++;
                if (Double.isFinite(w)) {
                    sum += w * w;
                    sumSq += w * w * w * w;
                    largest = Math.max(largest, w * w);
                    stationary++;
                }
            }
            if (stationary < 2 || largest > MAX_RATIO * sum / stationary) {
                return null;
            }
            double relative = halfWidth(sum, sumSq, stationary) / (sum / stationary);
            if (relative <= relativeHalfWidth) {
                return new Estimate(sum / stationary, halfWidth(sum, sumSq, stationary), draws, stationary);
            }
            if (draws * square(relative / relativeHalfWidth) > MAX_DRAWS) {
                return null;
            }
        }
    }

    private static double square(double x) {
        return x * x;
    }

    /** One learned {@code (A, b)}: a training set's optimum plus SGD's fluctuation (its stationary law's, minus its mean). */
    Denoiser draw(RandomGenerator rng) {
        int d = lambda.length;
        Denoiser centre = n == 0 ? optimum : TrainingSet.draw(null, lambda, mean, n, rng).optimum(sigma);
        Denoiser fluctuated = optimization.draw(rng);
        double[] a = new double[d * d];
        double[] b = new double[d];
        for (int i = 0; i < d * d; i++) {
            a[i] = centre.a()[i] + (fluctuated.a()[i] - optimum.a()[i]);
        }
        for (int i = 0; i < d; i++) {
            b[i] = centre.b()[i] + (fluctuated.b()[i] - optimum.b()[i]);
        }
        return new Denoiser(d, a, b);
    }

    private static double halfWidth(double sum, double sumSq, int count) {
        double m = sum / count;
        double variance = Math.max(0, (sumSq - count * m * m) / (count - 1));
        return 1.96 * Math.sqrt(variance / count);
    }
}
