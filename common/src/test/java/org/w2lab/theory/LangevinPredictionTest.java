package org.w2lab.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.w2lab.random.RandomStreams;
import org.w2lab.score.DataMean;
import org.w2lab.score.Denoiser;
import org.w2lab.score.DenoisingSgd;
import org.w2lab.score.NonCentredMoments;
import org.w2lab.score.SgdStationaryLaw;
import org.w2lab.score.TrainingSet;
import org.w2lab.spectrum.Spectrum;
import org.w2lab.stats.SeedStatistics;

/**
 * The predicted error of the pipeline (docs/theory.md, section 10) against independent computations: its limit
 * cases, the exact conditional W2 averaged over draws of the fluctuation (which checks the second-order expansion
 * alone), and the pipeline actually run over seeds (which checks the SGD law too). Intervals are Student's at 99%.
 */
class LangevinPredictionTest {
    private static final double SIGMA = 0.5;
    private static final double[] LAMBDA = Spectrum.powerLaw(4, 1).lambda();

    @Test
    void limitCases() {
        LangevinPrediction continuous = new LangevinPrediction(LAMBDA, SIGMA, 0);
        SgdStationaryLaw none = new SgdStationaryLaw(LAMBDA, SIGMA, 1e-300, 1, 0, SgdStationaryLaw.Order.FIRST);
        LangevinPrediction.Stages exact = continuous.predict(none);
        // gamma = 0: continuous Langevin samples p_data * N(0, sigma^2 I); tau -> 0, N = infinity: the exact score
        assertEquals(exact.noise(), exact.discretization(), 0);
        assertEquals(exact.discretization(), exact.generalization(), 1e-250);
        double noise = 0;
        for (double l : LAMBDA) {
            noise += Math.pow(Math.sqrt(l + SIGMA * SIGMA) - Math.sqrt(l), 2);
        }
        assertEquals(noise, exact.noise(), 1e-15);
        // gamma -> 0 is continuous: the discretization excess is a gamma + O(gamma^2), with
        // a = sum_i (1 - sqrt(lambda_i / s_i)) / 2 from sigma0 = s + gamma / 2 + O(gamma^2) (section 8)
        double slope = 0;
        for (double l : LAMBDA) {
            slope += (1 - Math.sqrt(l / (l + SIGMA * SIGMA))) / 2;
        }
        double[] curvature = new double[2];
        for (int k = 0; k < 2; k++) {
            double gamma = 1e-3 / Math.pow(10, k);
            double excess = new LangevinPrediction(LAMBDA, SIGMA, gamma).predict(none).discretization() - noise;
            curvature[k] = (excess / gamma - slope) / gamma;
        }
        // the remainder is second order: its coefficient settles (to O(gamma) relative)
        assertEquals(curvature[1], curvature[0], 0.01 * Math.abs(curvature[1]));
        // N -> infinity: the generalization part is O(1/N)
        double tau = 0.01;
        LangevinPrediction ula = new LangevinPrediction(LAMBDA, SIGMA, 0.05);
        double gen1 = generalization(ula, tau, 1000);
        double gen2 = generalization(ula, tau, 2000);
        assertEquals(2, gen1 / gen2, 1e-12);
    }

    private static double generalization(LangevinPrediction p, double tau, int n) {
        LangevinPrediction.Stages s = p.predict(new SgdStationaryLaw(LAMBDA, SIGMA, tau, 1, n,
                SgdStationaryLaw.Order.FIRST));
        return s.generalization() - s.optimization();
    }

    @Test
    void pairKernelSumsToThePairTerms() {
        // on a spectrum of distinct eigenvalues the kernel over all pairs i != j is the prediction's cross terms
        double tau = 0.01;
        int n = 500;
        LangevinPrediction p = new LangevinPrediction(LAMBDA, SIGMA, 0.05);
        double pairs = 0;
        for (int i = 0; i < LAMBDA.length; i++) {
            for (int j = 0; j < LAMBDA.length; j++) {
                if (i != j) {
                    double[] k = p.kernel(LAMBDA[i], LAMBDA[j], tau, 1, n);
                    pairs += k[0] + k[1];
                }
            }
        }
        double diagonal = 0;
        for (int i = 0; i < LAMBDA.length; i++) {
            double[] one = {LAMBDA[i]};
            LangevinPrediction alone = new LangevinPrediction(one, SIGMA, 0.05);
            LangevinPrediction.Stages s = alone.predict(new SgdStationaryLaw(one, SIGMA, tau, 1, n,
                    SgdStationaryLaw.Order.FIRST));
            diagonal += s.generalization() - s.discretization();
            // in one dimension the bias sums over one alpha; on the full spectrum over all: that difference is the
            // kernel's bias share, already in the pairs
        }
        LangevinPrediction.Stages all = p.predict(new SgdStationaryLaw(LAMBDA, SIGMA, tau, 1, n,
                SgdStationaryLaw.Order.FIRST));
        assertEquals(all.generalization() - all.discretization(), diagonal + pairs,
                1e-12 * (all.generalization() - all.discretization()));
    }

    @Test
    void expansionAgreesWithTheExactConditionalErrorOverDrawnFluctuations() {
        double gamma = 0.05;
        LangevinPrediction p = new LangevinPrediction(LAMBDA, SIGMA, gamma);
        ConditionalLangevin exact = new ConditionalLangevin(LAMBDA, null, SIGMA, gamma);
        // optimization alone (small tau, fresh data), then generalization alone (tiny tau, N = 400)
        SgdStationaryLaw opt = new SgdStationaryLaw(LAMBDA, SIGMA, 0.002, 1, 0, SgdStationaryLaw.Order.EXACT);
        SgdStationaryLaw gen = new SgdStationaryLaw(LAMBDA, SIGMA, 1e-300, 1, 400, SgdStationaryLaw.Order.FIRST);
        for (SgdStationaryLaw law : new SgdStationaryLaw[] {opt, gen}) {
            LangevinPrediction.Stages s = p.predict(law);
            double[] excess = conditionalExcess(exact, law, s.discretization(), "fluctuations ");
            assertInside(s.generalization() - s.discretization(), excess, "law with N = " + law.trainingSamples());
        }
    }

    /**
     * {@code W2^2 - base} of the exact stationary law of ULA for 3000 draws of {@code (A, b)} from the law, from the
     * stream named by the prefix and the law's {@code N}.
     */
    private static double[] conditionalExcess(ConditionalLangevin exact, SgdStationaryLaw law, double base,
                                              String stream) {
        int draws = 3000;
        double[] excess = new double[draws];
        RandomGenerator rng = RandomStreams.forTask(stream + law.trainingSamples(), 0);
        for (int k = 0; k < draws; k++) {
            double w2 = exact.evaluate(law.draw(rng), 0).w2Stationary();
            excess[k] = w2 * w2 - base;
        }
        return excess;
    }

    @Test
    void predictionLiesInTheIntervalOfThePipelineRunOverSeeds() {
        double gamma = 0.05;
        ConditionalLangevin exact = new ConditionalLangevin(LAMBDA, null, SIGMA, gamma);
        LangevinPrediction p = new LangevinPrediction(LAMBDA, SIGMA, gamma);
        // optimization dominant, then generalization dominant; K so that (1 - tau s_min)^K < 1e-4
        double[][] regimes = {{0.01, 500, 4000}, {0.002, 100, 10000}};
        for (double[] r : regimes) {
            double tau = r[0];
            int n = (int) r[1];
            DenoisingSgd sgd = new DenoisingSgd(SIGMA, tau, (int) r[2], 1, DenoisingSgd.Iterate.FINAL);
            int seeds = 300;
            double[] w2sq = new double[seeds];
            for (int seed = 0; seed < seeds; seed++) {
                RandomGenerator rng = RandomStreams.forTask("pipeline " + tau + " " + n, seed);
                Denoiser learned = sgd.train(TrainingSet.draw(null, LAMBDA, n, rng), rng);
                double w2 = exact.evaluate(learned, 0).w2Stationary();
                w2sq[seed] = w2 * w2;
            }
            LangevinPrediction.Stages s = p.predict(new SgdStationaryLaw(LAMBDA, SIGMA, tau, 1, n,
                    SgdStationaryLaw.Order.EXACT));
            assertInside(s.generalization(), w2sq, "tau = " + tau + ", N = " + n);
        }
    }

    /**
     * A data mean (10.10): the expansion against the exact conditional error over drawn fluctuations, whose mean
     * driver {@code dA mu + db} now carries the full {@code W}, and whose offsets correlate with {@code D}.
     */
    @Test
    void withADataMeanTheExpansionAgreesWithTheExactConditionalError() {
        double gamma = 0.05;
        double[] mean = DataMean.vector(LAMBDA.length, 1.5);
        LangevinPrediction p = new LangevinPrediction(LAMBDA, SIGMA, gamma);
        ConditionalLangevin exact = new ConditionalLangevin(LAMBDA, null, mean, SIGMA, gamma);
        SgdStationaryLaw opt = new SgdStationaryLaw(LAMBDA, mean, SIGMA, 0.002, 1, 0, SgdStationaryLaw.Order.EXACT);
        SgdStationaryLaw gen = new SgdStationaryLaw(LAMBDA, mean, SIGMA, 1e-300, 1, 400,
                SgdStationaryLaw.Order.FIRST);
        double centred = p.predict(new SgdStationaryLaw(LAMBDA, SIGMA, 0.002, 1, 0, SgdStationaryLaw.Order.EXACT))
                .optimization();
        for (SgdStationaryLaw law : new SgdStationaryLaw[] {opt, gen}) {
            LangevinPrediction.Stages s = p.predict(law);
            double base = s.discretization();
            double[] excess = conditionalExcess(exact, law, base, "fluctuations with a mean ");
            assertInside(s.generalization() - base, excess, "mean 1.5, law with N = " + law.trainingSamples());
            if (law == opt) {
                // the mean matters at this size: the centred law's optimization part is outside the interval
                assertTrue(Math.abs(centred - base - SeedStatistics.of(excess).mean())
                        > SeedStatistics.of(excess).halfWidth(0.99), "the centred law fits too: the test is weak");
            }
        }
    }

    /** The whole pipeline on non-centred data (training set with a mean, SGD, exact conditional W2) over seeds. */
    @Test
    void withADataMeanThePredictionLiesInTheIntervalOfThePipeline() {
        double gamma = 0.05;
        double tau = 0.01;
        int n = 500;
        double[] mean = DataMean.vector(LAMBDA.length, 1.5);
        ConditionalLangevin exact = new ConditionalLangevin(LAMBDA, null, mean, SIGMA, gamma);
        LangevinPrediction p = new LangevinPrediction(LAMBDA, SIGMA, gamma);
        // K so that (1 - tau h_min)^K < 1e-4, h_min the smallest eigenvalue of H_mu (10.10)
        double hMin = Double.MAX_VALUE;
        for (double v : org.w2lab.linalg.SymmetricEigen.of(LAMBDA.length + 1,
                new NonCentredMoments(LAMBDA, mean, SIGMA).h(), false).values()) {
            hMin = Math.min(hMin, v);
        }
        int steps = (int) Math.ceil(Math.log(1e-4) / Math.log(1 - tau * hMin));
        DenoisingSgd sgd = new DenoisingSgd(SIGMA, tau, steps, 1, DenoisingSgd.Iterate.FINAL);
        int seeds = 300;
        double[] w2sq = new double[seeds];
        for (int seed = 0; seed < seeds; seed++) {
            RandomGenerator rng = RandomStreams.forTask("pipeline with a mean", seed);
            Denoiser learned = sgd.train(TrainingSet.draw(null, LAMBDA, mean, n, rng), rng);
            double w2 = exact.evaluate(learned, 0).w2Stationary();
            w2sq[seed] = w2 * w2;
        }
        LangevinPrediction.Stages s = p.predict(new SgdStationaryLaw(LAMBDA, mean, SIGMA, tau, 1, n,
                SgdStationaryLaw.Order.EXACT));
        assertInside(s.generalization(), w2sq, "mean 1.5, tau = " + tau + ", N = " + n);
    }

    private static void assertInside(double predicted, double[] values, String what) {
        SeedStatistics stats = SeedStatistics.of(values);
        double mean = stats.mean();
        double halfWidth = stats.halfWidth(0.99);
        assertTrue(Math.abs(predicted - mean) <= halfWidth, what + ": predicted " + predicted + ", measured " + mean
                + " +- " + halfWidth);
    }
}
