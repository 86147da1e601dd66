package org.w2lab.score;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.w2lab.linalg.HaarRotation;
import org.w2lab.random.RandomStreams;
import org.w2lab.sampler.LinearScore;
import org.w2lab.sampler.ScoreUndefinedException;
import org.w2lab.schedule.VpSchedule;
import org.w2lab.spectrum.Spectrum;
import org.w2lab.stats.SeedStatistics;

/**
 * {@link LearnedScore} (docs/theory.md, 15): each level's denoiser is the per-level SGD of {@link NoiseLevelTraining},
 * whose mean over runs is the dataset optimum at that level's noise; the levels do not depend on the order they are
 * met in; the score is Tweedie's on the scaled state, in the data's basis and, rotated, in the eigenbasis.
 */
class LearnedScoreTest {
    private static final VpSchedule VP = VpSchedule.standard();
    private static final double[] LAMBDA = Spectrum.powerLaw(3, 1).lambda();
    private static final int D = LAMBDA.length;
    private static final double[] U = HaarRotation.draw(D, RandomStreams.forTask("learned-basis", 0));

    /**
     * At two levels ({@code sigma_t} about 0.34 and 1.22), the mean of 300 independent SGD runs (seeds) on one training
     * set of 40 samples contains the dataset optimum {@link TrainingSet#optimum} at {@code sigma_t}, entry by entry
     * (Student, Bonferroni 99% in all); with 40 samples the intervals exclude the population optimum somewhere.
     * {@code K = 1000} at {@code tau = 0.05}: the slowest mode keeps {@code (1 - tau_t (lambda_min + sigma_t^2))^K},
     * below {@code e^-20} at both levels.
     */
    @Test
    void meanOfEachLevelIsTheDatasetOptimumAtItsNoise() {
        TrainingSet data = TrainingSet.draw(U, LAMBDA, 40, RandomStreams.forTask("learned-set", 0));
        NoiseLevelTraining training = new NoiseLevelTraining(0.05, 1000, 1);
        double[] times = {0.1, 0.3};
        int runs = 300;
        int entries = D * D + D;
        double[][][] learned = new double[times.length][runs][];
        for (int r = 0; r < runs; r++) {
            LearnedScore score = new LearnedScore(data, training, VP, U, "learned-mean", r);
            for (int l = 0; l < times.length; l++) {
                learned[l][r] = DenoisingSgdTest.flatten(score.denoiser(times[l]));
            }
        }
        int rejected = 0;
        for (int l = 0; l < times.length; l++) {
            double sigma = VP.noiseLevel(times[l]);
            double[] optimum = DenoisingSgdTest.flatten(data.optimum(sigma));
            double[] population = DenoisingSgdTest.flatten(Denoiser.optimum(LAMBDA, U, sigma));
            for (int e = 0; e < entries; e++) {
                double[] column = new double[runs];
                for (int r = 0; r < runs; r++) {
                    column[r] = learned[l][r][e];
                }
                SeedStatistics s = SeedStatistics.of(column);
                double halfWidth = s.halfWidth(1 - 0.01 / (times.length * entries));
                assertEquals(optimum[e], s.mean(), halfWidth, "sigma_t = " + sigma + ", entry " + e);
                if (Math.abs(s.mean() - population[e]) > halfWidth) {
                    rejected++;
                }
            }
        }
        assertTrue(rejected > 0, "the population optimum is inside every interval: the test has no power");
    }

    /** The same levels met in opposite orders, by two instances: the same bits. */
    @Test
    void evaluationOrderDoesNotChangeTheDenoisers() {
        TrainingSet data = TrainingSet.draw(U, LAMBDA, 50, RandomStreams.forTask("learned-set", 1));
        NoiseLevelTraining training = new NoiseLevelTraining(0.02, 300, 2);
        double[] times = {0.9, 0.5, 0.2, 0.05, 0.01};
        LearnedScore forward = new LearnedScore(data, training, VP, U, "learned-order", 3);
        LearnedScore backward = new LearnedScore(data, training, VP, U, "learned-order", 3);
        for (double t : times) {
            forward.denoiser(t);
        }
        for (int i = times.length - 1; i >= 0; i--) {
            backward.at(times[i], new double[D * D], new double[D]);
        }
        for (double t : times) {
            assertArrayEquals(DenoisingSgdTest.flatten(forward.denoiser(t)),
                    DenoisingSgdTest.flatten(backward.denoiser(t)), 0.0, "t = " + t);
        }
        assertEquals(times.length, forward.levels());
        // another seed trains other denoisers
        LearnedScore other = new LearnedScore(data, training, VP, U, "learned-order", 4);
        assertTrue(other.denoiser(0.5).a()[0] != forward.denoiser(0.5).a()[0]);
    }

    /**
     * The score read back through Tweedie, {@code A = I - noise(t) P}, {@code b = noise(t) c / alpha_t}, is the trained
     * denoiser; the eigenbasis view reads back {@code U^T A U}, {@code U^T b}, written here with explicit sums.
     */
    @Test
    void scoreIsTweedieOnTheScaledStateInBothBases() {
        TrainingSet data = TrainingSet.draw(U, LAMBDA, 30, RandomStreams.forTask("learned-set", 2));
        LearnedScore score = new LearnedScore(data, new NoiseLevelTraining(0.05, 200, 1), VP, U, "learned-tweedie",
                0);
        LinearScore eigen = score.inEigenbasis();
        for (double t : new double[] {0.02, 0.4, 1}) {
            double noise = VP.noise(t);
            double alpha = VP.scale(t);
            Denoiser den = score.denoiser(t);
            double[] p = new double[D * D];
            double[] c = new double[D];
            double[] pe = new double[D * D];
            double[] ce = new double[D];
            score.at(t, p, c);
            eigen.at(t, pe, ce);
            for (int i = 0; i < D; i++) {
                for (int j = 0; j < D; j++) {
                    assertEquals(den.a()[j * D + i], (i == j ? 1 : 0) - noise * p[j * D + i], 1e-12);
                    double rotated = 0;
                    for (int k = 0; k < D; k++) {
                        for (int m = 0; m < D; m++) {
                            rotated += U[i * D + k] * den.a()[m * D + k] * U[j * D + m];
                        }
                    }
                    assertEquals(rotated, (i == j ? 1 : 0) - noise * pe[j * D + i], 1e-12);
                }
                assertEquals(den.b()[i], noise * c[i] / alpha, 1e-12);
                double rotatedB = 0;
                for (int k = 0; k < D; k++) {
                    rotatedB += U[i * D + k] * den.b()[k];
                }
                assertEquals(rotatedB, noise * ce[i] / alpha, 1e-12);
            }
        }
        assertEquals(3, score.levels(), "the eigenbasis view trains nothing of its own");
        assertThrows(ScoreUndefinedException.class, () -> score.at(0, new double[D * D], new double[D]));
    }
}
