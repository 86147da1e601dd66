package org.w2lab.schedule;

/**
 * Flow matching's linear interpolant {@code x_t = (1 - t) x_0 + t z} (rectified flow: Liu et al. 2023; Lipman et al.
 * 2023; the path of SD3 and Flux, Esser et al. 2024), as a linear forward process (docs/theory.md, section 18):
 * {@code alpha_t = 1 - t}, noise level {@code sigma(t) = t / (1 - t)}, marginal variance
 * {@code (1 - t)^2 lambda + t^2} on an eigenvalue {@code lambda}, so {@code dx = f x dt + g dw} with
 * {@code f = -1 / (1 - t)}, {@code g^2 = 2 t / (1 - t)}. Its probability-flow ODE is the flow-matching ODE
 * {@code dx/dt = v(x, t) = E[z - x_0 | x_t = x]}; for Gaussian data {@code v = (t - (1 - t) lambda) / ((1 - t)^2 lambda
 * + t^2) x} per eigenvalue. {@code t = 1} ({@code p_1 = N(0, I)}) is where the score form {@code f x - g^2 s / 2} of
 * the velocity is {@code 0 / 0}: runs end their horizon at {@code T < 1}.
 */
public final class FlowProcess implements ForwardProcess {
    private static final long serialVersionUID = 1L;

    private final double horizon;

    /** @param horizon {@code 0 < T < 1} */
    public FlowProcess(double horizon) {
        if (!(horizon > 0 && horizon < 1)) {
            throw new IllegalArgumentException("need 0 < T < 1 for the flow (at t = 1 the velocity written with the "
                    + "score is 0/0); got T=" + horizon);
        }
        this.horizon = horizon;
    }

    @Override
    public String id() {
        return "flow";
    }

    @Override
    public double horizon() {
        return horizon;
    }

    /** {@code (1 - t)^2}. */
    @Override
    public double decay(double t) {
        return (1 - t) * (1 - t);
    }

    /** {@code t^2}. */
    @Override
    public double noise(double t) {
        return t * t;
    }

    @Override
    public double decayRatio(double t, double later) {
        double r = (1 - later) / (1 - t);
        return r * r;
    }

    @Override
    public double scale(double t) {
        return 1 - t;
    }

    @Override
    public double noiseLevel(double t) {
        return t / (1 - t);
    }

    /** {@code t = sigma / (1 + sigma)}; beyond {@code sigma(T)} the same formula, up to {@code t < 1}. */
    @Override
    public double timeOfNoiseLevel(double sigma) {
        if (!(sigma >= 0)) {
            throw new IllegalArgumentException("need a noise level sigma >= 0; got " + sigma);
        }
        return sigma / (1 + sigma);
    }

    /** {@code r_t = -f = 1 / (1 - t)}. */
    @Override
    public double drift(double t) {
        return 1 / (1 - t);
    }

    /** {@code D_t = g^2 / 2 = t / (1 - t)}. */
    @Override
    public double diffusion(double t) {
        return t / (1 - t);
    }

    /** The flow's source {@code N(0, I)} at {@code t = 1}: the prior of {@code init = normal}. */
    @Override
    public double priorVariance() {
        return 1;
    }
}
