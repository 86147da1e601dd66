package org.w2lab.score;

import java.io.Serializable;
import org.w2lab.schedule.FlowProcess;
import org.w2lab.schedule.ForwardProcess;

/**
 * How a diffusion model's linear denoiser is trained at each noise level (docs/theory.md, 15.1): at forward time
 * {@code t} the denoiser of the scaled state {@code x_t / alpha_t = x_0 + sigma(t) z} is Hurault et al.'s
 * {@code D(y) = A y + b} at noise level {@code sigma_t = sigma(t)}, trained by DSM-SGD with the step
 * {@code tau_t = tau / (1 + sigma_t^2)}. Dividing by {@code 1 + sigma_t^2} keeps every level inside its stability
 * bound {@code 2 / max(lambda_max + sigma_t^2, 1)} as soon as {@code tau < 2 / max(lambda_max, 1)}; on VP it is
 * {@code tau alpha_t^2}, the step of SGD on the denoiser written in {@code x_t} itself.
 *
 * <p>On the flow ({@link FlowProcess}) the model learned at time {@code t} is a linear velocity
 * {@code v(x_t) = V x_t + w}, by SGD with the step {@code tau} on flow matching's loss
 * {@code 1/2 |V x_t + w - (z - x_0)|^2} from {@code V = 0, w = 0}. Since {@code z - x_0 = (x_t - x_0) / t}, it is the
 * denoiser {@code D(y) = A y + b} of the scaled state {@code y = x_t / alpha_t} with {@code A = alpha_t (I - t V)},
 * {@code b = -t w}, trained on the denoising loss with the step {@code tau alpha_t^2} for {@code A}, {@code tau} for
 * {@code b}, from {@code A = alpha_t I} (docs/theory.md, 18.4): the same iterates, which {@link #level} gives.
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

    /**
     * What the SGD of forward time {@code t} is, in the denoiser's coordinates.
     *
     * @param sigma     the noise level {@code sigma(t)}
     * @param tauA      the step of {@code A}
     * @param tauOffset the step of {@code b}
     * @param start     {@code A}'s start, {@code start I}
     */
    public record Level(double sigma, double tauA, double tauOffset, double start) {
    }

    /** The SGD of forward time {@code t > 0}: {@code tau / (1 + sigma^2)} from 0, or the flow's velocity SGD. */
    public Level level(ForwardProcess process, double t) {
        double sigma = process.noiseLevel(t);
        if (process instanceof FlowProcess) {
            double alpha = process.scale(t);
            return new Level(sigma, tau * alpha * alpha, tau, alpha);
        }
        double step = tauAt(sigma);
        return new Level(sigma, step, step, 0);
    }

    /** The SGD that trains the denoiser of forward time {@code t > 0}. */
    public DenoisingSgd sgd(ForwardProcess process, double t) {
        Level level = level(process, t);
        return new DenoisingSgd(level.sigma(), level.tauA(), steps, batch, DenoisingSgd.Iterate.FINAL,
                level.tauOffset(), level.start());
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
     * How far the mean of {@code A_jj} is left from its optimum {@code alpha = lambda / (lambda + sigma^2)} after
     * {@code K} steps from 0, at the worst level {@code sigma >= sigmaMin}: {@code alpha (1 - tau_t (lambda +
     * sigma^2))^K} (docs/theory.md, 15.1). Below {@code lambda = 1} both factors fall as {@code sigma} grows, so the
     * worst level is {@code sigmaMin}; from 1 on, {@code alpha <= 1} and the rate is at least {@code tau}, so
     * {@code (1 - tau)^K} bounds it. An eigenvalue 0 has nothing to learn (its optimum is the start, 0).
     */
    public double shortfall(double lambda, double sigmaMin) {
        if (lambda >= 1) {
            return Math.pow(1 - tau, steps);
        }
        double s2 = sigmaMin * sigmaMin;
        return lambda / (lambda + s2) * Math.pow(1 - tauAt(sigmaMin) * (lambda + s2), steps);
    }

    /**
     * The fewest steps {@code K} that bring {@link #shortfall} down to {@code allowed} for this eigenvalue (0 when
     * it starts there).
     */
    public long stepsFor(double lambda, double sigmaMin, double allowed) {
        double s2 = sigmaMin * sigmaMin;
        double alpha = lambda >= 1 ? 1 : lambda / (lambda + s2);
        double rate = lambda >= 1 ? tau : tauAt(sigmaMin) * (lambda + s2);
        return alpha <= allowed ? 0 : (long) Math.ceil(Math.log(allowed / alpha) / Math.log(1 - rate));
    }

    /**
     * The slowest contraction rate of the mean of the flow's velocity SGD: the infimum over {@code t} of
     * {@code tau alpha_t^2 (lambda_min + sigma_t^2) = tau ((1 - t)^2 lambda_min + t^2)}, {@code tau lambda_min /
     * (1 + lambda_min)} (at {@code t = lambda_min / (1 + lambda_min)}). Its stability bound is
     * {@link #stabilityBound(double)}: the supremum of {@code (1 - t)^2 lambda_max + t^2} is {@code max(lambda_max, 1)}.
     */
    public double slowestVelocityRate(double lambdaMin) {
        return tau * lambdaMin / (1 + lambdaMin);
    }
}
