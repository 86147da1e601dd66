package org.w2lab.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * How far SGD leaves the mean of a learned denoiser from its optimum (docs/theory.md, 15.1), against the definition
 * maximized by brute force over the levels.
 */
class NoiseLevelTrainingTest {
    /**
     * {@code shortfall} is the largest {@code alpha (1 - tau_t (lambda + sigma^2))^K} over {@code sigma >= sigmaMin}:
     * a grid of 4000 levels from {@code sigmaMin} to 1e3 (log-spaced) never exceeds it, and below {@code lambda = 1}
     * reaches it at {@code sigmaMin} (to round-off); from 1 on it is a bound the grid stays under.
     */
    @Test
    void shortfallIsTheWorstLevel() {
        NoiseLevelTraining training = new NoiseLevelTraining(0.002, 200000, 1);
        double sigmaMin = 0.01;
        for (double lambda : new double[] {1e-7, 1e-5, 1e-4, 1e-3, 0.1, 0.9, 1, 3, 200}) {
            double worst = 0;
            for (int k = 0; k <= 4000; k++) {
                double sigma = sigmaMin * Math.pow(1e5, k / 4000.0);
                double s2 = sigma * sigma;
                double left = lambda / (lambda + s2) * Math.pow(1 - training.tauAt(sigma) * (lambda + s2), 200000);
                worst = Math.max(worst, left);
            }
            double shortfall = training.shortfall(lambda, sigmaMin);
            assertTrue(worst <= shortfall * (1 + 1e-12), "lambda " + lambda + ": grid " + worst + " > " + shortfall);
            if (lambda < 1) {
                assertEquals(shortfall, worst, 1e-12 * shortfall, "lambda " + lambda);
            }
        }
    }

    /**
     * {@code stepsFor} is the least {@code K}: its shortfall is within the allowance, one step fewer is not; an
     * eigenvalue 0 (nothing to learn) and one far below {@code sigmaMin^2} need none.
     */
    @Test
    void stepsForIsTheLeastEnough() {
        double sigmaMin = 0.01;
        for (double lambda : new double[] {1e-3, 0.1, 0.5, 2, 50}) {
            long k = new NoiseLevelTraining(0.002, 1, 1).stepsFor(lambda, sigmaMin, 0.01);
            assertTrue(new NoiseLevelTraining(0.002, (int) k, 1).shortfall(lambda, sigmaMin) <= 0.01, "lambda " + lambda);
            assertTrue(new NoiseLevelTraining(0.002, (int) k - 1, 1).shortfall(lambda, sigmaMin) > 0.01,
                    "lambda " + lambda);
        }
        NoiseLevelTraining training = new NoiseLevelTraining(0.002, 1, 1);
        assertEquals(0, training.stepsFor(0, sigmaMin, 0.01));
        assertEquals(0, training.shortfall(0, sigmaMin));
        assertEquals(0, training.stepsFor(1e-7, sigmaMin, 0.01));
    }
}
