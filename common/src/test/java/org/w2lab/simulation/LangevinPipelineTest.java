package org.w2lab.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.w2lab.linalg.HaarRotation;
import org.w2lab.random.RandomStreams;
import org.w2lab.score.DataMean;
import org.w2lab.score.DenoisingSgd;
import org.w2lab.score.SgdStationaryLaw;
import org.w2lab.spectrum.Spectrum;
import org.w2lab.stats.SeedStatistics;
import org.w2lab.theory.LangevinPrediction;
import org.w2lab.theory.TheoryResult.Status;

class LangevinPipelineTest {
    private static final double SIGMA = 0.5;
    private static final double GAMMA = 0.05;

    private static Function<String, RandomGenerator> streams(String name, int seed) {
        return part -> RandomStreams.forTask(name + "/" + part, seed);
    }

    /**
     * The particles sample the conditional law exactly (same learned score, exact Gaussian recursion), so over
     * seeds the bias-corrected squared fit minus the exact squared W2 has mean zero: a 99% Student interval of the
     * differences must hold 0, for the identity and a random basis.
     */
    @Test
    void particlesMatchTheConditionalLawSeedBySeed() {
        Spectrum spectrum = Spectrum.powerLaw(4, 1);
        for (double[] basis : new double[][] {null, HaarRotation.draw(4, RandomStreams.forTask("u", 0))}) {
            LangevinPipeline pipeline = new LangevinPipeline(spectrum, basis, SIGMA, GAMMA, 300,
                    new DenoisingSgd(SIGMA, 0.01, 4000, 1, DenoisingSgd.Iterate.FINAL), 200, 2000);
            int seeds = 40;
            double[] diff = new double[seeds];
            for (int s = 0; s < seeds; s++) {
                LangevinPipeline.Result r = pipeline.run(streams("cond " + (basis == null), s));
                assertEquals(Status.OK, r.status());
                assertTrue(r.spectralRadius() < 1);
                double fitSq = r.fit().w2Fit() * r.fit().w2Fit() - r.fit().biasSquared();
                diff[s] = fitSq - r.w2Conditional() * r.w2Conditional();
            }
            SeedStatistics stats = SeedStatistics.of(diff);
            double mean = stats.mean();
            double half = stats.halfWidth(0.99);
            assertTrue(Math.abs(mean) <= half, "mean difference " + mean + " +- " + half);
        }
    }

    /**
     * The same with a data mean in a random basis (docs/theory.md, 10.10): the target and the score move with it.
     * The exact-score stages do not depend on the mean: their squared W2 over seeds against the centred theory.
     */
    @Test
    void particlesMatchTheConditionalLawWithADataMean() {
        Spectrum spectrum = Spectrum.powerLaw(4, 1);
        double[] basis = HaarRotation.draw(4, RandomStreams.forTask("u", 1));
        LangevinPipeline pipeline = new LangevinPipeline(spectrum, basis, DataMean.vector(4, 1.5), SIGMA, GAMMA, 300,
                new DenoisingSgd(SIGMA, 0.01, 8000, 1, DenoisingSgd.Iterate.FINAL), 200, 2000);
        int seeds = 40;
        double[] diff = new double[seeds];
        double[] noise = new double[seeds];
        double[] discretization = new double[seeds];
        for (int s = 0; s < seeds; s++) {
            LangevinPipeline.Result r = pipeline.run(streams("cond mean", s));
            assertEquals(Status.OK, r.status());
            double fitSq = r.fit().w2Fit() * r.fit().w2Fit() - r.fit().biasSquared();
            diff[s] = fitSq - r.w2Conditional() * r.w2Conditional();
            noise[s] = r.w2Noise() * r.w2Noise();
            discretization[s] = r.w2PlusDiscretization() * r.w2PlusDiscretization();
        }
        assertInside(0, diff, "fit minus conditional");
        LangevinPrediction.Stages exact = new LangevinPrediction(spectrum.lambda(), SIGMA, GAMMA)
                .predict(new SgdStationaryLaw(spectrum.lambda(), SIGMA, 1e-300, 1, 0, SgdStationaryLaw.Order.FIRST));
        assertInside(exact.noise(), noise, "noise alone");
        assertInside(exact.discretization(), discretization, "plus discretization");
    }

    private static void assertInside(double expected, double[] values, String what) {
        SeedStatistics stats = SeedStatistics.of(values);
        assertTrue(Math.abs(stats.mean() - expected) <= stats.halfWidth(0.99), what + ": " + stats.mean() + " +- "
                + stats.halfWidth(0.99) + ", expected " + expected);
    }

    @Test
    void sameStreamsSameResult() {
        LangevinPipeline pipeline = new LangevinPipeline(Spectrum.powerLaw(3, 2), null, SIGMA, GAMMA, 50,
                new DenoisingSgd(SIGMA, 0.05, 500, 2, DenoisingSgd.Iterate.AVERAGE), 20, 100);
        assertEquals(pipeline.run(streams("same", 3)), pipeline.run(streams("same", 3)));
    }

    @Test
    void unstableLearnedChainsAndSgdAreReportedNotAveraged() {
        // sigma = 0.1: the top eigenvalue of A has a margin of 0.0099 against an SGD spread of about 0.016
        Spectrum spectrum = Spectrum.powerLaw(16, 1);
        LangevinPipeline small = new LangevinPipeline(spectrum, null, 0.1, 0.005, 20,
                new DenoisingSgd(0.1, 0.05, 4000, 1, DenoisingSgd.Iterate.FINAL), 100, 50);
        int diverged = 0;
        for (int s = 0; s < 10; s++) {
            LangevinPipeline.Result r = small.run(streams("small", s));
            if (r.status() == Status.DIVERGED) {
                diverged++;
                assertTrue(r.spectralRadius() >= 1);
                assertNull(r.fit());
                assertTrue(Double.isNaN(r.w2ConditionalStationary()));
            }
        }
        assertTrue(diverged > 0, "no seed diverged at sigma = 0.1");
        LangevinPipeline overflow = new LangevinPipeline(spectrum, null, SIGMA, GAMMA, 20,
                new DenoisingSgd(SIGMA, 3, 2000, 1, DenoisingSgd.Iterate.FINAL), 100, 50);
        LangevinPipeline.Result r = overflow.run(streams("overflow", 0));
        assertEquals(Status.SGD_DIVERGED, r.status());
        assertTrue(Double.isNaN(r.spectralRadius()));
    }
}
