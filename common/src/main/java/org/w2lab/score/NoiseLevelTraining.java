package org.w2lab.score;

import java.io.Serializable;
import org.w2lab.schedule.ForwardProcess;

/**
 * How a diffusion model's linear denoiser is trained at each noise level (docs/theory.md, 15.1): at forward time
 * {@code t} the denoiser of the scaled state {@code x_t / alpha_t = x_0 + sigma(t) z} is Hurault et al.'s
 * {@code D(y) = A y + b} at noise level {@code sigma_t = sigma(t)}, trained by DSM-SGD with the step
 * {@code tau_t = tau / (1 + sigma_t^2)}. Dividing by {@code 1 + sigma_t^2} keeps every level inside its stability
 * bound {@code 2 / max(lambda_max + sigma_t^2, 1)} as soon as {@code tau < 2 / max(lambda_max, 1)}; on VP it is
 * {@code tau alpha_t^2}, the step of SGD on the denoiser written in {@code x_t} itself.
 *
 * @param tau   the step {@code tau} at vanishing noise
 * @param steps SGD steps {@code K} at every level
 * @param batch samples per step
 */
public record NoiseLevelTraining(double tau, int steps, int batch) implements Serializable {
    public NoiseLevelTraining {
        if (!(tau > 0) || steps < 1 || batch < 1) {
            throw new IllegalArgumentException("per-level training needs tau > 0, steps >= 1, batch >= 1; got tau = "
                    + tau + ", steps = " + steps + ", batch = " + batch);
        }
    }

    /** The step at noise level {@code sigma}: {@code tau / (1 + sigma^2)}. */
    public double tauAt(double sigma) {
        return tau / (1 + sigma * sigma);
    }

    /** The SGD that trains the denoiser of forward time {@code t > 0}. */
    public DenoisingSgd sgd(ForwardProcess process, double t) {
        double sigma = process.noiseLevel(t);
        return new DenoisingSgd(sigma, tauAt(sigma), steps, batch, DenoisingSgd.Iterate.FINAL);
    }

    /**
     * The bound on {@code tau} below which every level's mean converges: {@code 2 / max(lambda_max, 1)}, the
     * infimum over {@code sigma} of {@code 2 (1 + sigma^2) / max(lambda_max + sigma^2, 1)}, reached at
     * {@code sigma = 0}.
     */
    public static double stabilityBound(double lambdaMax) {
        return 2 / Math.max(lambdaMax, 1);
    }

    /**
     * The slowest contraction rate of the mean of {@code A} over all levels, {@code tau min(lambda_min, 1)}: the
     * infimum over {@code sigma} of {@code tau_t (lambda_min + sigma^2)}. The mean of {@code b} starts at its
     * stationary value 0 for centred data, so only its variance lags (docs/theory.md, 15.1).
     */
    public double slowestRate(double lambdaMin) {
        return tau * Math.min(lambdaMin, 1);
    }
}
