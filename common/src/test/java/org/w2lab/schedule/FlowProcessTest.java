package org.w2lab.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.w2lab.sampler.Schemes;
import org.w2lab.sampler.SpectralState;
import org.w2lab.spectrum.Spectrum;

/**
 * Flow matching's linear interpolant as a forward process (docs/theory.md, section 18), against the interpolant's own
 * definitions: its moments, the velocity {@code E[z - x_0 | x_t]} computed from them, diffusers' flow-matching Euler
 * step, and the orders of the schemes in {@code t}.
 */
class FlowProcessTest {
    private static final FlowProcess FLOW = new FlowProcess(0.999);
    private static final double[] LAMBDA = {3, 1, 0.2, 0.01};

    /** {@code Var((1 - t) x_0 + t z) = (1 - t)^2 lambda + t^2} and {@code dV/dt = 2 f V + g^2}. */
    @Test
    void marginalsAndTheForwardVarianceEquation() {
        for (double t : new double[] {0.001, 0.3, 0.7, 0.99}) {
            for (double lambda : LAMBDA) {
                double v = (1 - t) * (1 - t) * lambda + t * t;
                assertEquals(v, FLOW.variance(lambda, t), 1e-15);
                double h = 1e-7;
                double derivative = (FLOW.variance(lambda, t + h) - FLOW.variance(lambda, t - h)) / (2 * h);
                double f = -FLOW.drift(t);
                double g2 = 2 * FLOW.diffusion(t);
                assertEquals(2 * f * v + g2, derivative, 1e-7);
            }
            assertEquals(t, FLOW.timeOfNoiseLevel(FLOW.noiseLevel(t)), 1e-15);
            assertEquals(FLOW.noiseLevel(t) * FLOW.scale(t), t, 1e-15, "x_t / alpha_t = x_0 + sigma z: t = alpha sigma");
        }
        assertThrows(IllegalArgumentException.class, () -> new FlowProcess(1));
    }

    /**
     * The probability-flow ODE of the process is the flow-matching ODE: its rate {@code r - D / sigma_t^2} (backward
     * time) is minus {@code v = Cov(z - x_0, x_t) / Var(x_t) = (t - (1 - t) lambda) / ((1 - t)^2 lambda + t^2)}.
     */
    @Test
    void theFlowOdeIsTheVelocityOfTheInterpolant() {
        for (double t : new double[] {0.01, 0.5, 0.95}) {
            for (double lambda : LAMBDA) {
                double velocity = (t - (1 - t) * lambda) / ((1 - t) * (1 - t) * lambda + t * t);
                double rate = FLOW.drift(t) - FLOW.diffusion(t) / FLOW.variance(lambda, t);
                assertEquals(-velocity, rate, 1e-12 * Math.max(1, Math.abs(velocity)));
            }
        }
    }

    /**
     * diffusers' {@code FlowMatchEulerDiscreteScheduler.step}: {@code x + (sigma_next - sigma) v}, {@code sigma} its
     * time; on one eigenvalue a multiplier, so the law's variance is its square times the start's: the engine's Euler
     * equals it to 1e-13.
     */
    @Test
    void eulerIsDiffusersFlowMatchEuler() {
        TimeGrid grid = new TimeGrid(FLOW.horizon(), 1e-3, 12);
        double[] v0 = new double[LAMBDA.length];
        FLOW.variances(LAMBDA, FLOW.horizon(), v0);
        SpectralState state = new SpectralState(new Spectrum("t", LAMBDA, 0), FLOW, v0);
        for (int k = 0; k < grid.steps(); k++) {
            Schemes.EULER.step(state, grid.forward(k), grid.forward(k + 1));
        }
        for (int i = 0; i < LAMBDA.length; i++) {
            double x = 1;
            for (int k = 0; k < grid.steps(); k++) {
                double sigma = grid.forward(k);
                double sigmaNext = grid.forward(k + 1);
                double v = (sigma - (1 - sigma) * LAMBDA[i]) / ((1 - sigma) * (1 - sigma) * LAMBDA[i] + sigma * sigma);
                x = x + (sigmaNext - sigma) * v * x;
            }
            double expected = x * x * v0[i];
            assertEquals(expected, state.variances()[i], 1e-13 * expected, "eigenvalue " + i);
        }
    }

    /** Euler, Heun and RK4 on the flow from {@code p_T}: {@code W2(law_N, p_eps)} halves at their orders (320 -> 640). */
    @Test
    void schemesInTimeKeepTheirOrders() {
        Spectrum spectrum = Spectrum.powerLaw(30, 1);
        for (var s : java.util.List.of(Schemes.EULER, Schemes.HEUN, Schemes.RK4)) {
            double e1 = error(s, spectrum, 320);
            double e2 = error(s, spectrum, 640);
            assertEquals(s.order(), Math.log(e1 / e2) / Math.log(2), 0.1, s.id());
        }
    }

    private static double error(org.w2lab.sampler.DiscreteScheme s, Spectrum spectrum, int n) {
        TimeGrid grid = new TimeGrid(FLOW.horizon(), 0.01, n);
        double[] v0 = new double[spectrum.dimension()];
        FLOW.variances(spectrum.lambda(), FLOW.horizon(), v0);
        SpectralState state = new SpectralState(spectrum, FLOW, v0);
        for (int k = 0; k < n; k++) {
            s.step(state, grid.forward(k), grid.forward(k + 1));
        }
        return state.w2ToMarginal(0, grid.forward(n));
    }
}
