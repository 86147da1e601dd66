package org.w2lab.sampler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.w2lab.schedule.TimeGrid;
import org.w2lab.schedule.VpSchedule;
import org.w2lab.spectrum.Spectrum;
import org.w2lab.theory.Init;
import org.w2lab.theory.SpectralTheory;
import org.w2lab.theory.TheoryResult;

/** Where the noise-level samplers evaluate the score, how their evaluations are counted, and the churn's rules. */
class NoiseLevelSchemeTest {
    private static final VpSchedule SCHEDULE = VpSchedule.standard();
    private static final Spectrum SINGULAR = new Spectrum("singular", new double[] {1, 0.5, 0}, 0);

    /**
     * With {@code eps = 0} and a zero eigenvalue the score does not exist at {@code t = 0}: EDM's last step is Euler's
     * and DPM-Solver-1 evaluates at the start of each step only, so both run; DPM-Solver-2 and -3 put their
     * intermediate points at {@code lambda_s + r h = infinity}, i.e. {@code t = 0}, and break down there.
     */
    @Test
    void onlySamplersThatEvaluateAtZeroNoiseFailOnSingularData() {
        SpectralTheory theory = new SpectralTheory(SINGULAR, SCHEDULE);
        for (NoiseLevelScheme s : Schemes.NOISE_LEVEL) {
            for (String g : new String[] {TimeGrid.UNIFORM, TimeGrid.EDM}) {
                TimeGrid atZero = TimeGrid.of(g, SCHEDULE, 0, 15, Double.NaN, TimeGrid.EDM_RHO);
                boolean evaluatesAtZero = s == Schemes.DPM_SOLVER_2 || s == Schemes.DPM_SOLVER_3;
                TheoryResult r = theory.discrete(s, atZero, List.of(Init.NORMAL), 1).get(0);
                assertEquals(evaluatesAtZero ? TheoryResult.Status.SCORE_UNDEFINED : TheoryResult.Status.OK,
                        r.status(), s.id() + " on " + g);
                TimeGrid truncated = TimeGrid.of(g, SCHEDULE, 1e-4, 15, Double.NaN, TimeGrid.EDM_RHO);
                assertEquals(TheoryResult.Status.OK,
                        theory.discrete(s, truncated, List.of(Init.NORMAL), 1).get(0).status(), s.id());
            }
        }
    }

    @Test
    void evaluationsAreCountedPerStepAndEdmSavesOneAtZeroNoise() {
        TimeGrid atZero = TimeGrid.uniform(1, 0, 25);
        TimeGrid truncated = TimeGrid.uniform(1, 1e-3, 25);
        assertEquals(49, Schemes.EDM_HEUN.evaluations(atZero, SCHEDULE));
        assertEquals(50, Schemes.EDM_HEUN.evaluations(truncated, SCHEDULE));
        for (int order = 1; order <= 3; order++) {
            NoiseLevelScheme s = List.of(Schemes.DPM_SOLVER_1, Schemes.DPM_SOLVER_2, Schemes.DPM_SOLVER_3)
                    .get(order - 1);
            assertEquals(25 * order, s.evaluations(atZero, SCHEDULE), s.id());
            assertEquals(25 * order, s.evaluations(truncated, SCHEDULE), s.id());
            assertEquals(order, s.evaluationsPerStep(), s.id());
        }
        assertEquals(100, Schemes.RK4.evaluations(atZero, SCHEDULE));
    }

    @Test
    void runOnAGridHasTheBitsOfTheRunByStepCount() {
        SpectralTheory theory = new SpectralTheory(Spectrum.powerLaw(10, 1), SCHEDULE);
        for (DiscreteScheme s : List.of(Schemes.EI, Schemes.RK4, Schemes.DPM_SOLVER_3)) {
            TheoryResult bySteps = theory.discrete(s, 17, 1e-3, Init.NORMAL, 3);
            TheoryResult byGrid = theory.discrete(s, TimeGrid.uniform(1, 1e-3, 17), List.of(Init.NORMAL), 3).get(0);
            assertEquals(Double.doubleToLongBits(bySteps.w2ToData()), Double.doubleToLongBits(byGrid.w2ToData()));
            assertArrayEquals(bySteps.w2ToMarginal(), byGrid.w2ToMarginal(), 0.0);
            assertArrayEquals(bySteps.times(), byGrid.times(), 0.0);
        }
    }

    /** Karras et al., Algorithm 2, line 4: {@code gamma = min(S_churn / N, sqrt 2 - 1)} in {@code [S_tmin, S_tmax]}. */
    @Test
    void churnFollowsItsDefinition() {
        NoiseLevelScheme.Churn churn = new NoiseLevelScheme.Churn(5, 0.1, 10, 1, 20);
        assertEquals(0.25, churn.gamma(1), 0.0);
        assertEquals(0, churn.gamma(0.05), 0.0);
        assertEquals(0, churn.gamma(11), 0.0);
        assertEquals(Math.sqrt(2) - 1, new NoiseLevelScheme.Churn(80, 0, 10, 1, 20).gamma(1), 0.0);
        assertThrows(IllegalArgumentException.class, () -> new NoiseLevelScheme.Churn(-1, 0, 1, 1, 20));
        assertThrows(IllegalArgumentException.class, () -> new NoiseLevelScheme.Churn(1, 2, 1, 1, 20));
        assertThrows(IllegalArgumentException.class, () -> new NoiseLevelScheme.Churn(1, 0, 1, 0, 20));
        assertThrows(IllegalArgumentException.class, () -> new NoiseLevelScheme.Churn(1, 0, 1, 1, 0));
    }

    /** Without churn the stochastic sampler is the deterministic one, bit for bit. */
    @Test
    void zeroChurnIsTheDeterministicSampler() {
        SpectralTheory theory = new SpectralTheory(Spectrum.powerLaw(10, 1), SCHEDULE);
        TimeGrid grid = TimeGrid.edm(SCHEDULE, 1e-3, 30, TimeGrid.EDM_RHO);
        NoiseLevelScheme none = NoiseLevelScheme.edmStochastic(new NoiseLevelScheme.Churn(0, 0, 1e9, 1, 30));
        assertEquals(
                theory.discrete(Schemes.EDM_HEUN, grid, List.of(Init.NORMAL), 0).get(0).w2ToData(),
                theory.discrete(none, grid, List.of(Init.NORMAL), 0).get(0).w2ToData(), 0.0);
    }
}
