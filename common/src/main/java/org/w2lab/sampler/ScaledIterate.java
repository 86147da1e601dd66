package org.w2lab.sampler;

/**
 * What a noise-level sampler does with its iterate, the scaled state {@code xhat = x / alpha_t} (docs/theory.md,
 * 12.1), written once for the three engines: a law's per-eigenvalue multiplier (spectral engine), an affine map of
 * the step's input (full-matrix engine), or a block of particles.
 *
 * @param <V> the representation of {@code xhat}
 */
interface ScaledIterate<V> {
    /** {@code x + a y}. */
    V plus(V x, double a, V y);

    /**
     * The noise prediction {@code epsilon(xhat; t) = -sqrt(1 - alpha_t^2) score_t(alpha_t xhat)} (Lu et al. 2022,
     * eq. 2.6 with {@code epsilon = -sigma_t grad log p_t}); one score evaluation.
     *
     * @throws ScoreUndefinedException if the score does not exist at {@code t}
     */
    V epsilon(V x, double t);
}
