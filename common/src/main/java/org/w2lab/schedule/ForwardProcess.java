package org.w2lab.schedule;

/**
 * A linear forward noising process {@code dx = f(t) x dt + g(t) dw} on {@code [0, T]} whose marginal from
 * {@code x_0} is {@code x_t = alpha_t (x_0 + sigma(t) z)} (Karras et al. 2022, eq. 11; docs/theory.md, section 13):
 * the variance-preserving {@link VpSchedule} ({@code vp}) and the variance-exploding {@link VeSchedule} ({@code ve}).
 * On an eigenvalue {@code lambda} of the data covariance the marginal variance is
 * {@code sigma_t^2(lambda) = alpha_t^2 lambda + alpha_t^2 sigma(t)^2}. The backward SDE is
 * {@code dy = [r_t y + 2 D_t score_t(y)] ds + sqrt(2 D_t) dw} and the flow ODE
 * {@code dy = [r_t y + D_t score_t(y)] ds}, with the rate {@code r_t = -f(t)} ({@link #drift}) and
 * {@code D_t = g(t)^2 / 2} ({@link #diffusion}).
 */
public interface ForwardProcess extends java.io.Serializable {
    /** The {@code process} id: {@code vp} or {@code ve}. */
    String id();

    /** The final time {@code T}. */
    double horizon();

    /** {@code alpha_t^2}, the factor of {@code lambda} in the marginal variance. */
    double decay(double t);

    /** {@code alpha_t^2 sigma(t)^2}, the variance of the noise in {@code x_t}; 0 at {@code t = 0}. */
    double noise(double t);

    /** {@code (alpha_later / alpha_t)^2} for {@code later >= t}. */
    double decayRatio(double t, double later);

    /** The marginal variance {@code sigma_t^2(lambda) = decay(t) lambda + noise(t)}. */
    default double variance(double lambda, double t) {
        return decay(t) * lambda + noise(t);
    }

    /**
     * {@link #variance} for every eigenvalue at once, with {@code decay(t)} and {@code noise(t)} computed once
     * instead of once per eigenvalue: the same bits as {@code variance(lambda[i], t)}.
     *
     * @param out receives {@code sigma_t^2(lambda[i])}; may be {@code lambda} itself
     */
    default void variances(double[] lambda, double t, double[] out) {
        double decay = decay(t);
        double noise = noise(t);
        for (int i = 0; i < lambda.length; i++) {
            out[i] = decay * lambda[i] + noise;
        }
    }

    /** The signal scale {@code alpha_t}. */
    double scale(double t);

    /** The noise level {@code sigma(t)}: {@code x_t / alpha_t = x_0 + sigma(t) z}. */
    double noiseLevel(double t);

    /** The inverse of {@link #noiseLevel}, {@code sigma >= 0}; beyond {@code sigma(T)} it extends the schedule. */
    double timeOfNoiseLevel(double sigma);

    /** The rate {@code r_t = -f(t) = -d log alpha_t / dt} of the backward processes' linear drift. */
    double drift(double t);

    /** {@code D_t = g(t)^2 / 2 = alpha_t^2 d(sigma(t)^2)/dt / 2}, half the squared diffusion coefficient. */
    double diffusion(double t);

    /**
     * The variance of the Gaussian prior that starts a sampler in practice ({@code init = normal}):
     * {@code N(0, prior I)}, 1 for {@code vp}, {@code noise(T)} for {@code ve}.
     */
    double priorVariance();
}
