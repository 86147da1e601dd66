package org.w2lab.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.w2lab.random.RandomStreams;
import org.w2lab.sampler.DiscreteScheme;
import org.w2lab.sampler.NoiseLevelScheme;
import org.w2lab.sampler.Schemes;
import org.w2lab.schedule.TimeGrid;
import org.w2lab.schedule.VeSchedule;
import org.w2lab.spectrum.Spectrum;
import org.w2lab.stats.SeedStatistics;
import org.w2lab.theory.Init;
import org.w2lab.theory.SpectralTheory;

/**
 * A seed's simulation on any grid and process: on VE with the EDM grid, from the prior {@code N(0, sigma_max^2 I)},
 * the bias-corrected squared Gaussian-fit error {@code w2_fit^2 - bias} (unbiased to first order in {@code 1/M},
 * docs/theory.md, section 6) averaged over seeds must contain the exact {@code W2^2} of the spectral theory in its
 * 99.9% Student interval.
 */
class ParticleSimulationGridTest {
    private static final Spectrum SPECTRUM = Spectrum.powerLaw(8, 1.0);
    private static final VeSchedule VE = VeSchedule.standard();
    private static final int SEEDS = 30;
    private static final int M = 2000;

    @Test
    void empiricalErrorOnAnEdmGridOfVeMatchesTheTheory() {
        int steps = 10;
        TimeGrid grid = TimeGrid.edm(VE, 1e-3, steps, TimeGrid.EDM_RHO);
        List<DiscreteScheme> schemes = List.of(Schemes.DPM_SOLVER_2, Schemes.HEUN,
                NoiseLevelScheme.edmStochastic(new NoiseLevelScheme.Churn(5, 0, 1e9, 1, steps)));
        ParticleSimulation simulation = new ParticleSimulation(SPECTRUM, VE, null);
        for (DiscreteScheme s : schemes) {
            double theory = new SpectralTheory(SPECTRUM, VE).discrete(s, grid, List.of(Init.NORMAL), 0).get(0)
                    .w2ToData();
            double[] corrected = new double[SEEDS];
            for (int seed = 0; seed < SEEDS; seed++) {
                ParticleSimulation.Result r = simulation.run(s, grid, Init.NORMAL, M, 0,
                        RandomStreams.forTask("ve-grid-" + s.id(), seed));
                corrected[seed] = r.fit().w2Fit() * r.fit().w2Fit() - r.fit().biasSquared();
            }
            SeedStatistics stats = SeedStatistics.of(corrected);
            assertEquals(theory * theory, stats.mean(), stats.halfWidth(0.999), s.id());
        }
    }
}
