package org.w2lab.simulation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.w2lab.linalg.HaarRotation;
import org.w2lab.random.RandomStreams;
import org.w2lab.sampler.DiscreteScheme;
import org.w2lab.sampler.Schemes;
import org.w2lab.schedule.VpSchedule;
import org.w2lab.spectrum.Spectrum;
import org.w2lab.theory.Init;
import org.w2lab.theory.SpectralTheory;
import org.w2lab.theory.TheoryResult;
import org.w2lab.theory.TheoryResult.Status;

class ParticleSimulationTest {
    private static final Spectrum SPECTRUM = Spectrum.powerLaw(8, 1.0);
    private static final VpSchedule SCHEDULE = VpSchedule.standard();

    static Iterable<DiscreteScheme> flowSchemes() {
        return Schemes.ALL.stream().filter(s -> !s.stochastic()).toList();
    }

    /**
     * Started from {@code p_T} with the same stream, the start of the rotated problem is exactly {@code U} times
     * that of the diagonal one ({@code U (sd * z)}), and a flow scheme's steps commute with {@code U}: its particles
     * stay {@code U} times the diagonal ones, so the elementwise path (identity basis) and the BLAS path (random
     * basis) must give the same estimates to round-off. (The SDE schemes draw their noise in each problem's own
     * coordinates, so only their laws agree: ParticleEngineTest checks both paths against the exact law.)
     */
    @ParameterizedTest
    @MethodSource("flowSchemes")
    void elementwiseAndDensePathsAgreeOnTheFlowSchemes(DiscreteScheme scheme) {
        double[] u = HaarRotation.draw(8, RandomStreams.forTask("u", 0));
        ParticleSimulation.Result diagonal = new ParticleSimulation(SPECTRUM, SCHEDULE, null)
                .run(scheme, 6, 1e-3, Init.P_T, 500, 2, RandomStreams.forTask("paths", 0));
        ParticleSimulation.Result rotated = new ParticleSimulation(SPECTRUM, SCHEDULE, u)
                .run(scheme, 6, 1e-3, Init.P_T, 500, 2, RandomStreams.forTask("paths", 0));
        assertEquals(diagonal.fit().w2Fit(), rotated.fit().w2Fit(), 1e-11);
        assertEquals(diagonal.fit().biasSquared(), rotated.fit().biasSquared(), 1e-11);
        assertArrayEquals(diagonal.steps(), rotated.steps());
        assertArrayEquals(diagonal.w2Trajectory(), rotated.w2Trajectory(), 1e-11);
    }

    @Test
    void recordsTheStepsTheTheoryRecords() {
        DiscreteScheme em = Schemes.byId("em");
        ParticleSimulation.Result r = new ParticleSimulation(SPECTRUM, SCHEDULE, null)
                .run(em, 10, 1e-3, Init.NORMAL, 100, 4, RandomStreams.forTask("rec", 0));
        TheoryResult theory = new SpectralTheory(SPECTRUM, SCHEDULE).discrete(em, 10, 1e-3, Init.NORMAL, 4);
        assertArrayEquals(new int[] {0, 4, 8, 10}, r.steps());
        assertArrayEquals(theory.steps(), r.steps());
        assertArrayEquals(theory.times(), r.times(), 0);
    }

    @Test
    void aScoreWithoutDensityIsReportedNotComputed() {
        Spectrum singular = new Spectrum("singular", new double[] {1, 0.5, 0}, 0);
        ParticleSimulation.Result r = new ParticleSimulation(singular, SCHEDULE, null)
                .run(Schemes.byId("heun"), 8, 0, Init.NORMAL, 50, 1, RandomStreams.forTask("sing", 0));
        assertEquals(Status.SCORE_UNDEFINED, r.status());
        assertNull(r.fit());
        // heun's last step evaluates the score at t = 0: steps 0..7 are recorded, as in the theory
        assertEquals(8, r.steps().length);
    }

    @Test
    void anOverflowIsDiverged() {
        // EM with h beta = 50: each step multiplies by about 1 + 50 - 100 / sigma^2, |.| ~ 49, 200 steps overflow
        VpSchedule steep = new VpSchedule(1e4, 1e4, 1);
        ParticleSimulation.Result r = new ParticleSimulation(SPECTRUM, steep, null)
                .run(Schemes.byId("em"), 200, 0, Init.NORMAL, 50, 0, RandomStreams.forTask("div", 0));
        assertEquals(Status.DIVERGED, r.status());
        assertEquals(Status.DIVERGED, new SpectralTheory(SPECTRUM, steep)
                .discrete(Schemes.byId("em"), 200, 0, Init.NORMAL, 0).status());
    }
}
