package org.w2lab.sampler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.w2lab.schedule.DiscreteBetaSchedule;
import org.w2lab.schedule.FlowProcess;
import org.w2lab.schedule.ForwardProcess;
import org.w2lab.schedule.TimeGrid;
import org.w2lab.spectrum.Spectrum;

/**
 * The samplers on the cosine and scaled-linear schedules (docs/theory.md, section 17): the noise-level samplers keep
 * their orders (they see a schedule only through its noise levels), the schemes in {@code t} converge, and particles
 * follow the exact law.
 */
class ScheduleSamplersTest {
    private static final Spectrum SPECTRUM = Spectrum.powerLaw(30, 1);
    private static final double EPS = 0.01;

    private static double error(DiscreteScheme scheme, ForwardProcess process, TimeGrid grid) {
        return NoiseLevelConvergenceTest.error(scheme, process, SPECTRUM, grid);
    }

    /**
     * A noise-level sampler sees a schedule only through the noise levels of its grid's times (12.1): on the cosine
     * and scaled-linear schedules its {@code xhat} laws ({@code v / alpha^2}) equal those of the linear schedule run
     * between the times of the same noise levels (beyond the linear schedule's {@code sigma(T)} its beta extended),
     * to 1e-10 relative.
     */
    @Test
    void noiseLevelSamplersSeeOnlyTheNoiseLevels() {
        ForwardProcess linear = org.w2lab.schedule.VpSchedule.standard();
        List<DiscreteScheme> schemes = new ArrayList<>(Schemes.NOISE_LEVEL);
        schemes.addAll(Schemes.MULTISTEP);
        schemes.add(MultistepScheme.ddim(0.5));
        schemes.add(MultistepScheme.unipc(12));
        for (ForwardProcess process : List.of(DiscreteBetaSchedule.cosine(1), DiscreteBetaSchedule.scaledLinear(1),
                new FlowProcess(0.999))) {
            TimeGrid grid = TimeGrid.of(TimeGrid.EDM, process, EPS, 12, 1, TimeGrid.EDM_RHO);
            for (DiscreteScheme s : schemes) {
                double[] start = new double[SPECTRUM.dimension()];
                double[] startLinear = new double[SPECTRUM.dimension()];
                double tLinear0 = linear.timeOfNoiseLevel(process.noiseLevel(grid.forward(0)));
                process.variances(SPECTRUM.lambda(), grid.forward(0), start);
                linear.variances(SPECTRUM.lambda(), tLinear0, startLinear);
                SpectralState onSchedule = new SpectralState(SPECTRUM, process, start);
                SpectralState onLinear = new SpectralState(SPECTRUM, linear, startLinear);
                for (int k = 0; k < grid.steps(); k++) {
                    s.step(onSchedule, grid.forward(k), grid.forward(k + 1));
                    s.step(onLinear, linear.timeOfNoiseLevel(process.noiseLevel(grid.forward(k))),
                            linear.timeOfNoiseLevel(process.noiseLevel(grid.forward(k + 1))));
                }
                double a = process.decay(grid.forward(grid.steps()));
                double b = linear.decay(linear.timeOfNoiseLevel(process.noiseLevel(grid.forward(grid.steps()))));
                for (int i = 0; i < SPECTRUM.dimension(); i++) {
                    double expected = onLinear.variances()[i] / b;
                    assertEquals(expected, onSchedule.variances()[i] / a, 1e-10 * expected,
                            s.id() + " on " + process.id() + " " + process.noiseLevel(process.horizon())
                                    + ", eigenvalue " + i);
                }
            }
        }
    }

    /**
     * The schemes in {@code t} (Pierret &amp; Galerne's) meet the schedule's kinks (a constant beta per training step)
     * inside their steps: they still converge, the error shrinking at least by a factor 1.5 per doubling from 160
     * steps on the uniform grid (observed order at least 0.58), lower than on the smooth linear schedule for the
     * schemes of order 2 and 4 (docs/theory.md, 17).
     */
    @Test
    void schemesInTimeConverge() {
        ForwardProcess process = DiscreteBetaSchedule.scaledLinear(1);
        for (DiscreteScheme s : Schemes.ALL) {
            double e1 = error(s, process, new TimeGrid(1, EPS, 160));
            double e2 = error(s, process, new TimeGrid(1, EPS, 320));
            assertTrue(Double.isFinite(e1) && e1 / e2 > 1.5, s.id() + ": " + e1 + " -> " + e2);
        }
    }

    /**
     * Particles against the full-matrix law on the cosine schedule and on the flow (ParticleEngineTest's check and
     * bound).
     */
    @Test
    void particlesFollowTheExactLawOnTheCosineScheduleAndTheFlow() {
        double[] lambda = {2, 0.8, 0.3, 0.05};
        double[] u = MatrixEngineTest.rotation(4, 11);
        for (ForwardProcess process : List.of(DiscreteBetaSchedule.cosine(1), new FlowProcess(0.999))) {
            TimeGrid grid = TimeGrid.of(TimeGrid.EDM, process, 0.05, 8, 1, TimeGrid.EDM_RHO);
            List<DiscreteScheme> schemes = new ArrayList<>(List.of(Schemes.HEUN, Schemes.EM, Schemes.DPMPP_2M_SDE,
                    MultistepScheme.unipc(8)));
            if (process instanceof DiscreteBetaSchedule) {
                schemes.add(Schemes.DDPM);
            }
            for (DiscreteScheme s : schemes) {
                ParticleEngineTest.particlesFollowTheLaw(s, new ExactVpScore(process, lambda, u,
                        new double[] {1, 0, 0, -1}), process, GaussianLaw.standard(4), grid,
                        process.id() + "-" + s.id());
            }
        }
    }

    @Test
    void cosineNoiseLevelAtTheHorizon() {
        double sigmaT = DiscreteBetaSchedule.cosine(1).noiseLevel(1);
        double f = Math.pow(Math.sin(0.001 / 1.008 * Math.PI / 2), 2) / Math.pow(Math.cos(0.008 / 1.008 * Math.PI / 2), 2);
        assertEquals(Math.sqrt(1 / (0.001 * f) - 1), sigmaT, 1e-6 * sigmaT);
    }
}
