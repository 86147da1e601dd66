package org.w2lab.sampler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.w2lab.schedule.ForwardProcess;
import org.w2lab.schedule.TimeGrid;
import org.w2lab.schedule.VpSchedule;
import org.w2lab.spectrum.Spectrum;

/**
 * The noise-level samplers converge to the continuous process at their order on every grid: from the exact
 * {@code p_T} the flow's law at {@code T - eps} is {@code p_eps}, so {@code W2(final law, p_eps)} is the sampler's
 * discretization error alone and must shrink by {@code 2^order} when the number of steps doubles (docs/theory.md,
 * 12.6). The grids refine as {@code N} grows: uniform, the EDM rho-schedule, and the exponential grid with ratio
 * {@code (eps / T)^(1/N)} (uniform in {@code log t}).
 */
class NoiseLevelConvergenceTest {
    /** The observed order {@code log2(e(N) / e(2N))} is {@code order + O(1/N)}; at N = 640 that term is below this. */
    private static final double ORDER_TOLERANCE = 0.1;
    private static final int N = 640;

    private static final VpSchedule SCHEDULE = VpSchedule.standard();
    private static final Spectrum SPECTRUM = Spectrum.powerLaw(30, 1);
    private static final double EPS = 0.01;

    static TimeGrid grid(String id, int steps) {
        return TimeGrid.of(id, SCHEDULE, EPS, steps, Math.pow(EPS / SCHEDULE.horizon(), 1.0 / steps),
                TimeGrid.EDM_RHO);
    }

    static double error(DiscreteScheme scheme, TimeGrid grid) {
        return error(scheme, SCHEDULE, SPECTRUM, grid);
    }

    /** {@code W2(law_N, p_{t_N})} after the grid's steps from {@code p_T}. */
    static double error(DiscreteScheme scheme, ForwardProcess process, Spectrum spectrum, TimeGrid grid) {
        double[] v0 = new double[spectrum.dimension()];
        for (int i = 0; i < v0.length; i++) {
            v0[i] = process.variance(spectrum.lambda(i), process.horizon());
        }
        SpectralState state = new SpectralState(spectrum, process, v0);
        for (int k = 0; k < grid.steps(); k++) {
            scheme.step(state, grid.forward(k), grid.forward(k + 1));
        }
        return state.w2ToMarginal(0, grid.forward(grid.steps()));
    }

    static double observedOrder(IntFunction<DiscreteScheme> scheme, String gridId, int n) {
        return Math.log(error(scheme.apply(n), grid(gridId, n)) / error(scheme.apply(2 * n), grid(gridId, 2 * n)))
                / Math.log(2);
    }

    static List<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (String g : new String[] {TimeGrid.UNIFORM, TimeGrid.EDM, TimeGrid.EXPONENTIAL}) {
            for (NoiseLevelScheme s : Schemes.NOISE_LEVEL) {
                cases.add(Arguments.of(s, g));
            }
        }
        return cases;
    }

    @ParameterizedTest
    @MethodSource("cases")
    void errorShrinksAtTheSamplersOrderOnEveryGrid(NoiseLevelScheme scheme, String gridId) {
        double observed = observedOrder(n -> scheme, gridId, N);
        assertEquals(scheme.order(), observed, ORDER_TOLERANCE, scheme.id() + " on " + gridId);
    }

    /**
     * With {@code S_noise = 1} the churn maps the marginal at {@code sigma} exactly to the marginal at
     * {@code sigma_hat} (docs/theory.md, 12.4), so the stochastic sampler keeps the order 2 of its Heun steps.
     */
    @Test
    void stochasticEdmWithUnitNoiseKeepsOrderTwo() {
        for (String g : new String[] {TimeGrid.UNIFORM, TimeGrid.EDM}) {
            double observed = observedOrder(
                    n -> NoiseLevelScheme.edmStochastic(new NoiseLevelScheme.Churn(10, 0, 1e9, 1, n)), g, N);
            assertEquals(2, observed, ORDER_TOLERANCE, g);
        }
    }

    /**
     * With {@code S_noise != 1} every churn adds {@code O(1/N)} of excess variance, an {@code O(1)} bias over the
     * run (docs/theory.md, 12.4): the error tends to a nonzero limit, so the observed order tends to 0.
     */
    @Test
    void stochasticEdmWithExcessNoiseDoesNotConverge() {
        double observed = observedOrder(
                n -> NoiseLevelScheme.edmStochastic(new NoiseLevelScheme.Churn(10, 0, 1e9, 1.05, n)), TimeGrid.EDM, N);
        assertEquals(0, observed, ORDER_TOLERANCE);
    }

    /** Any grid works with any scheme: the schemes of Pierret &amp; Galerne keep their orders on the new grids. */
    @Test
    void existingSchemesKeepTheirOrdersOnTheNewGrids() {
        for (DiscreteScheme s : Schemes.ALL) {
            for (String g : new String[] {TimeGrid.EDM, TimeGrid.EXPONENTIAL}) {
                // enough steps to be asymptotic (the stochastic schemes' first steps on the EDM grid are long)
                int n = s.order() == 4 ? 320 : 1280;
                assertEquals(s.order(), observedOrder(k -> s, g, n), ORDER_TOLERANCE, s.id() + " on " + g);
            }
        }
    }
}
