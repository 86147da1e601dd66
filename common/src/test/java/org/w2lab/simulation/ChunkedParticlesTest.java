package org.w2lab.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.math3.distribution.TDistribution;
import org.junit.jupiter.api.Test;
import org.w2lab.linalg.HaarRotation;
import org.w2lab.random.RandomStreams;
import org.w2lab.sampler.DiscreteScheme;
import org.w2lab.sampler.GaussianLaw;
import org.w2lab.sampler.ParticleBlock;
import org.w2lab.sampler.Schemes;
import org.w2lab.schedule.VpSchedule;
import org.w2lab.spectrum.Spectrum;
import org.w2lab.theory.Init;
import org.w2lab.theory.SpectralTheory;
import org.w2lab.theory.TheoryResult;

/**
 * A seed whose particles exceed one block runs them in chunks (docs/theory.md, 9): the moments of the parts combine
 * into those of the whole, and a chunked seed samples the exact law.
 */
class ChunkedParticlesTest {
    private static final Spectrum SPECTRUM = Spectrum.powerLaw(8, 1.0);
    private static final VpSchedule SCHEDULE = VpSchedule.standard();

    /** Parts of unequal sizes with far-apart means: the combined mean and covariance are the whole block's. */
    @Test
    void theMomentsOfThePartsAreThoseOfTheWhole() {
        int d = 5;
        double[] mean = {3, -2, 100, 0, 1e3};
        ParticleBlock whole = ParticleBlock.sample(null, new double[] {1, 2, 0.5, 3, 1e-2}, mean, 1000,
                RandomStreams.forTask("moments", 0));
        Moments moments = new Moments(d);
        int[] sizes = {1, 300, 2, 697};
        int from = 0;
        for (int size : sizes) {
            double[] part = java.util.Arrays.copyOfRange(whole.values(), from * d, (from + size) * d);
            moments.add(ParticleBlock.of(d, part));
            from += size;
        }
        GaussianLaw expected = whole.fit();
        GaussianLaw actual = moments.law();
        assertEquals(1000, moments.count());
        for (int i = 0; i < d; i++) {
            assertEquals(expected.mean()[i], actual.mean()[i], 1e-12 * Math.abs(expected.mean()[i]) + 1e-14);
        }
        for (int e = 0; e < d * d; e++) {
            assertEquals(expected.cov()[e], actual.cov()[e], 1e-9 * Math.abs(expected.cov()[e]) + 1e-12, "entry " + e);
        }
    }

    /**
     * 40 seeds of EM and Euler in a random basis, 4000 particles in chunks of 312, W2 recorded along the way: the mean
     * of the bias-corrected W2^2 holds the exact one in its 99.9% interval, whose half width is below a fifth of the
     * exact value (a seed fitted on one chunk alone, or chunks that reused their draws, would be off by more).
     */
    @Test
    void aChunkedSeedSamplesTheExactLaw() {
        double[] u = HaarRotation.draw(8, RandomStreams.forTask("u", 0));
        for (String id : new String[] {"em", "euler"}) {
            DiscreteScheme scheme = Schemes.byId(id);
            ParticleSimulation simulation = new ParticleSimulation(SPECTRUM, SCHEDULE, u, 2500);
            TheoryResult theory = new SpectralTheory(SPECTRUM, SCHEDULE).discrete(scheme, 4, 1e-3, Init.NORMAL, 0);
            double exact = theory.w2ToData() * theory.w2ToData();
            int seeds = 40;
            double[] w2sq = new double[seeds];
            double sum = 0;
            for (int seed = 0; seed < seeds; seed++) {
                ParticleSimulation.Result r = simulation.run(scheme, 4, 1e-3, Init.NORMAL, 4000, 2,
                        RandomStreams.forTask("chunked " + id, seed));
                assertEquals(3, r.steps().length);
                w2sq[seed] = r.fit().w2sqCorrected();
                sum += w2sq[seed];
            }
            double mean = sum / seeds;
            double ss = 0;
            for (double x : w2sq) {
                ss += (x - mean) * (x - mean);
            }
            double half = new TDistribution(seeds - 1).inverseCumulativeProbability(0.9995)
                    * Math.sqrt(ss / (seeds - 1) / seeds);
            assertTrue(Math.abs(mean - exact) <= half, id + ": mean " + mean + " +- " + half + ", exact " + exact);
            assertTrue(half < 0.2 * exact, id + ": interval too wide to mean anything: " + half + " vs " + exact);
        }
    }
}
