package org.w2lab.sampler;

import org.w2lab.schedule.ForwardProcess;

/**
 * A score with a controlled error: the exact denoiser plus {@code delta G} (docs/theory.md, 14). In the scaled state
 * {@code xhat = x / alpha_t} the denoiser is {@code D(xhat; t) + delta G xhat}; by Tweedie,
 * {@code s_t(x) = (alpha_t D(x / alpha_t) - x) / noise(t)}, so the score becomes
 * {@code s_t(y) + delta G y / noise(t)}: {@code P_t -> P_t - delta G / noise(t)}, {@code c_t} unchanged. A fixed
 * {@code G} of unit norm makes {@code delta} the size of the denoiser's error at every noise level, as for a linear
 * denoiser trained at each level (Hurault et al.); the score error grows like {@code 1 / noise(t)} as the noise
 * vanishes.
 */
public final class PerturbedScore implements LinearScore {
    private final LinearScore exact;
    private final ForwardProcess process;
    private final double[] g;
    private final double delta;

    /**
     * @param exact   the exact score
     * @param process the forward process whose noise divides the error
     * @param g       {@code G}, column-major {@code n x n} (copied)
     * @param delta   {@code delta}
     */
    public PerturbedScore(LinearScore exact, ForwardProcess process, double[] g, double delta) {
        int n = exact.dimension();
        if (g.length != n * n || !Double.isFinite(delta)) {
            throw new IllegalArgumentException("need a " + n + " x " + n + " perturbation and a finite delta; got "
                    + g.length + " entries and delta=" + delta);
        }
        this.exact = exact;
        this.process = process;
        this.g = g.clone();
        this.delta = delta;
    }

    @Override
    public int dimension() {
        return exact.dimension();
    }

    @Override
    public void at(double t, double[] p, double[] c) {
        exact.at(t, p, c);
        if (delta == 0) {
            return;
        }
        double noise = process.noise(t);
        if (!(noise > 0)) {
            throw new ScoreUndefinedException(t);
        }
        double w = delta / noise;
        for (int i = 0; i < g.length; i++) {
            p[i] -= w * g[i];
        }
    }
}
