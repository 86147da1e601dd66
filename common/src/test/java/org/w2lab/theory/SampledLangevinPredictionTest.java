package org.w2lab.theory;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.w2lab.random.RandomStreams;
import org.w2lab.score.DataMean;
import org.w2lab.score.Denoiser;
import org.w2lab.score.DenoisingSgd;
import org.w2lab.score.SgdStationaryLaw;
import org.w2lab.score.TrainingSet;
import org.w2lab.spectrum.Spectrum;
import org.w2lab.stats.SeedStatistics;

/**
 * The sampled prediction of the {@code ula} pipeline (docs/theory.md, 10.11) against the pipeline itself run over
 * 10^4 seeds (a training set, DSM-SGD, the learned chain's exact stationary {@code W2^2}), at four settings. The
 * check fails when the two differ by more than 1.96 combined standard errors; with the seeds' standard error at
 * most 0.4% of the mean (asserted) and the prediction's at most 0.26%, a prediction 2% off is caught with
 * probability above 0.99 (the distance is then at least 4.2 combined standard errors). As a check of that power, the second-order prediction
 * ({@link LangevinPrediction}), 3.4% low at the first setting, must fail there.
 */
class SampledLangevinPredictionTest {
    private static final double SIGMA = 0.5;
    private static final double GAMMA = 0.05;
    private static final int SEEDS = 10_000;
    /** The prediction's own 95% half-width, relative: a standard error of 0.26%. */
    private static final double PREDICTION_HALF_WIDTH = 0.005;

    /**
     * With a data mean (10.10; the last row) the seeds' {@code W2^2} spreads more (the sample mean's error adds to
     * it): the prediction is drawn to 1% and only the agreement is checked, not the power.
     */
    @ParameterizedTest(name = "d = {0}, tau = {1}, N = {2}, K = {3}, mean {4}")
    @CsvSource({"4, 0.01, 500, 4000, 0", "8, 0.005, 50, 8000, 0", "16, 0.01, 1000, 8000, 0",
            "4, 0.01, 500, 6000, 1.5"})
    void liesInTheIntervalOfTenThousandSeedsOfThePipeline(int d, double tau, int n, int steps, double meanSize) {
        double[] lambda = Spectrum.powerLaw(d, 1).lambda();
        double[] mean = DataMean.vector(d, meanSize);
        boolean centred = meanSize == 0;
        ConditionalLangevin chain = new ConditionalLangevin(lambda, null, mean, SIGMA, GAMMA);
        DenoisingSgd sgd = new DenoisingSgd(SIGMA, tau, steps, 1, DenoisingSgd.Iterate.FINAL);
        double[] w2sq = new double[SEEDS];
        int stationary = 0;
        for (int seed = 0; seed < SEEDS; seed++) {
            RandomGenerator rng = RandomStreams.forTask("sampled-test " + d + " " + tau + " " + n + " " + meanSize,
                    seed);
            Denoiser learned = sgd.train(TrainingSet.draw(null, lambda, centred ? null : mean, n, rng), rng);
            double w = chain.w2Stationary(learned);
            if (Double.isFinite(w)) {
                w2sq[stationary++] = w * w;
            }
        }
        SeedStatistics seeds = SeedStatistics.of(Arrays.copyOf(w2sq, stationary));
        SampledLangevinPrediction.Estimate predicted = new SampledLangevinPrediction(lambda, mean, SIGMA, GAMMA, tau,
                1, n).estimate(RandomStreams.forTask("sampled-test prediction", d),
                centred ? PREDICTION_HALF_WIDTH : SampledLangevinPrediction.RELATIVE_HALF_WIDTH);
        double se = Math.hypot(seeds.ci95(), predicted.ci95()) / 1.96;
        String numbers = String.format("predicted %.5f +- %.5f, seeds %.5f +- %.5f (%d of %d with a stationary law)",
                predicted.w2sq(), predicted.ci95(), seeds.mean(), seeds.ci95(), stationary, SEEDS);
        assertTrue(!centred || seeds.ci95() / 1.96 <= 0.004 * seeds.mean(),
                "too few seeds for the stated power: " + numbers);
        assertTrue(Math.abs(predicted.w2sq() - seeds.mean()) <= 1.96 * se, numbers);
        if (d == 4 && centred) {
            double secondOrder = new LangevinPrediction(lambda, SIGMA, GAMMA).predict(new SgdStationaryLaw(lambda,
                    SIGMA, tau, 1, n, SgdStationaryLaw.Order.EXACT)).generalization();
            assertTrue(Math.abs(secondOrder - seeds.mean()) > seeds.ci95(),
                    "the second-order prediction " + secondOrder + " is not caught: " + numbers);
        }
    }

    /**
     * Near the stability bound (sigma = 0.19 at d = 16, where about one learned chain in 200 has no stationary law)
     * (hurault-figure2's divergence_predicted) a draw close to divergence is far above the mean: no estimate is
     * claimed.
     */
    @Test
    void noEstimateWhereTheErrorIsHeavyTailed() {
        double[] lambda = Spectrum.powerLaw(16, 1).lambda();
        assertNull(new SampledLangevinPrediction(lambda, new double[16], 0.1931, GAMMA, 0.01, 1, 1000)
                .estimate(RandomStreams.forTask("heavy", 0)));
    }
}
