package org.w2lab.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.w2lab.linalg.HaarRotation;
import org.w2lab.random.RandomStreams;
import org.w2lab.sampler.DiscreteScheme;
import org.w2lab.sampler.Schemes;
import org.w2lab.schedule.TimeGrid;
import org.w2lab.schedule.VpSchedule;
import org.w2lab.score.LearnedScore;
import org.w2lab.score.NoiseLevelTraining;
import org.w2lab.score.TrainingSet;
import org.w2lab.spectrum.Spectrum;
import org.w2lab.stats.SeedStatistics;
import org.w2lab.theory.Init;
import org.w2lab.theory.MatrixTheory;
import org.w2lab.theory.SpectralTheory;

/**
 * A sampler run with a learned score (docs/theory.md, 15.2): the exact conditional law given the seed's denoisers
 * (the full-matrix engine, in the eigenbasis) against the seed's particles (in a random basis), and the limit of
 * many samples and a small step, where the learned score becomes the exact one.
 */
class LearnedScoreSimulationTest {
    private static final Spectrum SPECTRUM = Spectrum.powerLaw(4, 1.0);
    private static final VpSchedule VP = VpSchedule.standard();
    private static final double[] U = HaarRotation.draw(4, RandomStreams.forTask("learned-simulation-basis", 0));
    private static final double EPS = 1e-3;

    /**
     * Seed by seed, the particles' bias-corrected {@code W2^2} (docs/theory.md, 6) minus the {@code W2^2} of that
     * seed's conditional law: over 24 seeds the mean difference is 0 within its 99.9% Student interval, for DDPM on
     * the exponential grid and Heun on the uniform one. The conditional laws differ from seed to seed (a small
     * training set, N = 30), so a pooled comparison could hide a wrong pairing; the spread of the conditional W2 over
     * seeds is checked to be wider than the interval, so the pairing matters.
     */
    @Test
    void particlesFollowTheirSeedsConditionalLaw() {
        int seeds = 24;
        int m = 4000;
        NoiseLevelTraining training = new NoiseLevelTraining(0.05, 400, 1);
        for (DiscreteScheme scheme : List.of(Schemes.DDPM, Schemes.HEUN)) {
            TimeGrid grid = scheme == Schemes.DDPM ? TimeGrid.exponential(VP.horizon(), EPS, 12, 0.8)
                    : TimeGrid.uniform(VP.horizon(), EPS, 12);
            double[] difference = new double[seeds];
            double[] conditional = new double[seeds];
            for (int seed = 0; seed < seeds; seed++) {
                LearnedScore score = score(30, training, "learned-pairs", seed);
                conditional[seed] = new MatrixTheory(SPECTRUM, VP).discrete(scheme, grid, score.inEigenbasis(),
                        Init.P_T, 0).w2ToData();
                ParticleSimulation.Result r = new ParticleSimulation(SPECTRUM, VP, U).run(scheme, grid, score,
                        Init.P_T, m, 0, RandomStreams.forTask("learned-particles-" + scheme.id(), seed));
                difference[seed] = r.fit().w2Fit() * r.fit().w2Fit() - r.fit().biasSquared()
                        - conditional[seed] * conditional[seed];
            }
            SeedStatistics d = SeedStatistics.of(difference);
            double halfWidth = d.halfWidth(0.999);
            assertEquals(0, d.mean(), halfWidth, scheme.id());
            double[] squared = new double[seeds];
            for (int s = 0; s < seeds; s++) {
                squared[s] = conditional[s] * conditional[s];
            }
            assertTrue(SeedStatistics.of(squared).sd() > halfWidth, scheme.id() + ": conditional W2^2 spread "
                    + SeedStatistics.of(squared).sd() + " within the interval " + halfWidth);
        }
    }

    /**
     * The limit case: as {@code N} grows and {@code tau} shrinks the learned denoisers tend to the population
     * optimum, whose score is the exact one, so the conditional W2 tends to the exact-score W2 of the spectral
     * engine. The mean gap over 8 seeds shrinks at least twofold when {@code 1/N} and {@code tau} are divided by 16
     * (a score error of order {@code sqrt(tau + 1/N)} shrinks fourfold), and at {@code N = 32000},
     * {@code tau = 0.0025} it is under 5% of the exact W2.
     */
    @Test
    void manySamplesAndASmallStepGiveTheExactScoresError() {
        TimeGrid grid = TimeGrid.uniform(VP.horizon(), EPS, 10);
        double exact = new SpectralTheory(SPECTRUM, VP).discrete(Schemes.EI, grid, List.of(Init.P_T), 0).get(0)
                .w2ToData();
        double coarse = meanGap(2000, 0.04, grid, exact);
        double fine = meanGap(32000, 0.0025, grid, exact);
        assertTrue(fine < coarse / 2, "gap " + coarse + " -> " + fine);
        assertTrue(fine < 0.05 * exact, "gap " + fine + " against W2 " + exact);
    }

    private static double meanGap(int n, double tau, TimeGrid grid, double exact) {
        // enough steps for the slowest mean mode, (1 - tau min(lambda_min, 1))^K <= 0.01 (docs/theory.md, 15.1)
        int steps = (int) Math.ceil(Math.log(0.01) / Math.log(1 - tau * Math.min(SPECTRUM.lambda(3), 1)));
        NoiseLevelTraining training = new NoiseLevelTraining(tau, steps, 1);
        double sum = 0;
        int seeds = 8;
        for (int seed = 0; seed < seeds; seed++) {
            LearnedScore score = score(n, training, "learned-limit-" + n, seed);
            sum += Math.abs(new MatrixTheory(SPECTRUM, VP).discrete(Schemes.EI, grid, score.inEigenbasis(),
                    Init.P_T, 0).w2ToData() - exact);
        }
        return sum / seeds;
    }

    private static LearnedScore score(int n, NoiseLevelTraining training, String key, int seed) {
        TrainingSet data = TrainingSet.draw(U, SPECTRUM.lambda(), n, RandomStreams.forTask(key + "/training", seed));
        return new LearnedScore(data, training, VP, U, key, seed);
    }
}
