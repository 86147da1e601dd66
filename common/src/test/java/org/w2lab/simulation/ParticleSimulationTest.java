package org.w2lab.simulation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.w2lab.linalg.HaarRotation;
import org.w2lab.random.RandomStreams;
import org.w2lab.sampler.DiscreteScheme;
import org.w2lab.sampler.ExactVpScore;
import org.w2lab.sampler.NoiseLevelScheme;
import org.w2lab.sampler.Schemes;
import org.w2lab.schedule.TimeGrid;
import org.w2lab.schedule.VpSchedule;
import org.w2lab.spectrum.Spectrum;
import org.w2lab.theory.Init;
import org.w2lab.theory.SpectralTheory;
import org.w2lab.theory.TheoryResult;
import org.w2lab.theory.TheoryResult.Status;

class ParticleSimulationTest {
    private static final Spectrum SPECTRUM = Spectrum.powerLaw(8, 1.0);
    private static final VpSchedule SCHEDULE = VpSchedule.standard();

    /** Every scheme: Pierret &amp; Galerne's, the noise-level ones, the multistep and ancestral ones. */
    static Stream<Arguments> schemesAndStarts() {
        List<DiscreteScheme> all = new ArrayList<>(Schemes.ALL);
        all.addAll(Schemes.NOISE_LEVEL);
        all.addAll(Schemes.MULTISTEP);
        all.add(NoiseLevelScheme.edmStochastic(new NoiseLevelScheme.Churn(2, 0, Double.POSITIVE_INFINITY, 1.007, 8)));
        return all.stream().flatMap(s -> Stream.of(Arguments.of(s, Init.P_T), Arguments.of(s, Init.NORMAL)));
    }

    /**
     * The exact score's run in a random basis steps the particles in the coordinates of {@code U}, where the score is
     * diagonal, and rotates each step's noise ({@code U^T z}). The run in the data's basis with the dense score
     * {@code U f U^T} (the path a perturbed score takes) draws the same numbers, so both must give the same estimates
     * to round-off, deterministic or stochastic, from either start, trajectory included. A wrong rotation of the noise
     * (none, or {@code U} for {@code U^T}) changes the stochastic schemes' particles by O(1).
     */
    @ParameterizedTest
    @MethodSource("schemesAndStarts")
    void theEigenbasisRunIsTheDataBasisRun(DiscreteScheme scheme, Init init) {
        double[] u = HaarRotation.draw(8, RandomStreams.forTask("u", 0));
        ParticleSimulation simulation = new ParticleSimulation(SPECTRUM, SCHEDULE, u);
        ParticleSimulation.Result framed = simulation.run(scheme, 6, 1e-3, init, 500, 2,
                RandomStreams.forTask("paths", 0));
        ParticleSimulation.Result dense = simulation.run(scheme, new TimeGrid(SCHEDULE.horizon(), 1e-3, 6),
                new ExactVpScore(SCHEDULE, SPECTRUM.lambda(), u, new double[8]), init, 500, 2,
                RandomStreams.forTask("paths", 0));
        assertEquals(Status.OK, framed.status());
        assertEquals(dense.fit().w2Fit(), framed.fit().w2Fit(), 1e-10 * dense.fit().w2Fit());
        assertEquals(dense.fit().biasSquared(), framed.fit().biasSquared(), 1e-10 * dense.fit().biasSquared());
        assertEquals(dense.w2Sliced(), framed.w2Sliced(), 1e-10 * dense.w2Sliced());
        assertArrayEquals(dense.steps(), framed.steps());
        for (int r = 0; r < dense.steps().length; r++) {
            assertEquals(dense.w2Trajectory()[r], framed.w2Trajectory()[r], 1e-10 * dense.w2Trajectory()[r],
                    "step " + dense.steps()[r]);
        }
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
