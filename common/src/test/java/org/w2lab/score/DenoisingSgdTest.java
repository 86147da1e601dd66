package org.w2lab.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.TDistribution;
import org.junit.jupiter.api.Test;
import org.w2lab.random.RandomStreams;
import org.w2lab.spectrum.Spectrum;

/**
 * DSM-SGD against its stationary law (docs/theory.md, section 10): the mean of independent runs against the dataset
 * optimum, the spread of runs on fresh data against the exact second moments, each with a confidence interval from
 * the runs themselves (Bonferroni over the entries, 99% in all).
 */
class DenoisingSgdTest {
    private static final double SIGMA = 0.5;

    /**
     * The blocked run ({@link DenoisingSgd#trainBlocked}: blocks of steps through BLAS and a triangular solve) is the
     * stepwise one to round-off: the same random numbers, the same iterates. Batches of 1 and 3 (blocks of 32 and 10
     * steps), both iterates (the averaging window starts inside a block's reach), a training set and fresh data in a
     * rotated basis, a step count that is no multiple of a block and crosses the overflow check. A block that let
     * the samples of one step see each other, or dropped the offset's "+ 1" from the coupling, moves the iterates by
     * O(tau), far above 1e-9.
     */
    @Test
    void blockedStepsAreTheStepwiseStepsToRoundOff() {
        for (int d : new int[] {8, 70}) {
            double[] lambda = Spectrum.powerLaw(d, 1).lambda();
            double[] basis = org.w2lab.linalg.HaarRotation.draw(d, RandomStreams.forTask("basis", d));
            DataSource[] sources = {TrainingSet.draw(null, lambda, 50, RandomStreams.forTask("set", d)),
                new FreshData(basis, lambda)};
            for (DataSource data : sources) {
                for (int batch : new int[] {1, 3}) {
                    for (DenoisingSgd.Iterate iterate : DenoisingSgd.Iterate.values()) {
                        // the plain form, and the flow's velocity SGD (another step for b, A from 0.55 I)
                        for (DenoisingSgd sgd : new DenoisingSgd[] {new DenoisingSgd(SIGMA, 0.01, 1100, batch, iterate),
                            new DenoisingSgd(SIGMA, 0.003, 1100, batch, iterate, 0.01, 0.55)}) {
                        Denoiser stepwise = sgd.trainStepwise(data, RandomStreams.forTask("blocks", 0));
                        Denoiser blocked = sgd.trainBlocked(data, RandomStreams.forTask("blocks", 0));
                        String what = "d = " + d + ", " + data.getClass().getSimpleName() + ", batch " + batch + ", "
                                + iterate + ", tau_b = " + sgd.tauOffset();
                        assertClose(stepwise.a(), blocked.a(), what + ", A");
                        assertClose(stepwise.b(), blocked.b(), what + ", b");
                        }
                    }
                }
            }
        }
    }

    /**
     * Flow matching's SGD written as it is defined: a linear velocity {@code V x_t + w} fitted to {@code z - x_0} with
     * {@code x_t = (1 - t) x_0 + t z}, the step {@code tau}, from 0. {@link NoiseLevelTraining} trains the denoiser of
     * the scaled state instead (docs/theory.md, 18.4); with the same draws the two are one run: {@code A = alpha
     * (I - t V)}, {@code b = -t w} to round-off, at three times, in a rotated basis, both for one step and for SGD
     * run long. The plain denoising SGD (the step {@code tau alpha^2} for both, from 0) differs at the first step.
     */
    @Test
    void theFlowsVelocitySgdIsTheDenoisingSgdOfItsScaledState() {
        int d = 5;
        double[] lambda = Spectrum.powerLaw(d, 1).lambda();
        double[] basis = org.w2lab.linalg.HaarRotation.draw(d, RandomStreams.forTask("basis", 1));
        DataSource data = new FreshData(basis, lambda);
        double tau = 0.05;
        org.w2lab.schedule.FlowProcess flow = new org.w2lab.schedule.FlowProcess(0.99);
        for (int steps : new int[] {1, 2000}) {
            NoiseLevelTraining training = new NoiseLevelTraining(tau, steps, 1);
            for (double t : new double[] {0.05, 0.5, 0.9}) {
                Denoiser learned = training.sgd(flow, t).train(data, RandomStreams.forTask("velocity", steps));
                java.util.random.RandomGenerator rng = RandomStreams.forTask("velocity", steps);
                double[] v = new double[d * d];
                double[] w = new double[d];
                double[] x0 = new double[d];
                double[] z = new double[d];
                double[] xt = new double[d];
                double[] r = new double[d];
                for (int k = 0; k < steps; k++) {
                    data.next(rng, x0);
                    RandomStreams.fillNormal(rng, z);
                    for (int i = 0; i < d; i++) {
                        xt[i] = (1 - t) * x0[i] + t * z[i];
                    }
                    for (int i = 0; i < d; i++) {
                        r[i] = w[i] - (z[i] - x0[i]);
                        for (int c = 0; c < d; c++) {
                            r[i] += v[c * d + i] * xt[c];
                        }
                    }
                    for (int c = 0; c < d; c++) {
                        for (int i = 0; i < d; i++) {
                            v[c * d + i] -= tau * r[i] * xt[c];
                        }
                    }
                    for (int i = 0; i < d; i++) {
                        w[i] -= tau * r[i];
                    }
                }
                double alpha = 1 - t;
                double[] a = new double[d * d];
                double[] b = new double[d];
                for (int c = 0; c < d; c++) {
                    for (int i = 0; i < d; i++) {
                        a[c * d + i] = alpha * ((i == c ? 1 : 0) - t * v[c * d + i]);
                    }
                    b[c] = -t * w[c];
                }
                String what = "t = " + t + ", " + steps + " steps";
                assertClose(a, learned.a(), what + ", A");
                assertClose(b, learned.b(), what + ", b");
                if (steps == 1) {
                    Denoiser plain = new DenoisingSgd(flow.noiseLevel(t), tau * alpha * alpha, steps, 1,
                            DenoisingSgd.Iterate.FINAL).train(data, RandomStreams.forTask("velocity", steps));
                    double gap = 0;
                    for (int e = 0; e < d * d; e++) {
                        gap = Math.max(gap, Math.abs(plain.a()[e] - a[e]));
                    }
                    assertTrue(gap > 1e-3, what + ": the plain SGD is as close: " + gap);
                }
            }
        }
    }

    private static void assertClose(double[] expected, double[] actual, String what) {
        double scale = 0;
        for (double x : expected) {
            scale = Math.max(scale, Math.abs(x));
        }
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-9 * scale, what + " entry " + i);
        }
    }

    @Test
    void meanOfTheIteratesIsTheDatasetOptimumNotThePopulationOne() {
        double[] lambda = Spectrum.powerLaw(3, 1).lambda();
        TrainingSet data = TrainingSet.draw(null, lambda, 40, RandomStreams.forTask("training set", 0));
        Denoiser optimum = data.optimum(SIGMA);
        Denoiser population = Denoiser.optimum(lambda, null, SIGMA);
        for (DenoisingSgd sgd : new DenoisingSgd[] {
            new DenoisingSgd(SIGMA, 0.05, 3000, 1, DenoisingSgd.Iterate.FINAL),
            new DenoisingSgd(SIGMA, 0.05, 3000, 4, DenoisingSgd.Iterate.AVERAGE)}) {
            int runs = 300;
            double[][] entries = new double[runs][];
            for (int r = 0; r < runs; r++) {
                entries[r] = flatten(sgd.train(data, RandomStreams.forTask("sgd " + sgd, r)));
            }
            double[] expected = flatten(optimum);
            double[] wrong = flatten(population);
            double t = new TDistribution(runs - 1).inverseCumulativeProbability(1 - 0.01 / (2 * expected.length));
            int rejected = 0;
            for (int e = 0; e < expected.length; e++) {
                double[] column = column(entries, e);
                double halfWidth = t * sd(column) / Math.sqrt(runs);
                double mean = mean(column);
                assertTrue(Math.abs(mean - expected[e]) <= halfWidth, sgd + ", entry " + e + ": mean " + mean
                        + ", dataset optimum " + expected[e] + " +- " + halfWidth);
                if (Math.abs(mean - wrong[e]) > halfWidth) {
                    rejected++;
                }
            }
            // the interval is narrow enough to tell the two optima apart (40 samples)
            assertTrue(rejected > 0, "the population optimum is inside every interval: the test has no power");
        }
    }

    @Test
    void varianceOnFreshDataIsTheExactSecondMomentNotTheFirstOrder() {
        double[] lambda = Spectrum.powerLaw(4, 1).lambda();
        double tau = 0.1;
        SgdStationaryLaw exact = new SgdStationaryLaw(lambda, SIGMA, tau, 1, 0, SgdStationaryLaw.Order.EXACT);
        SgdStationaryLaw first = new SgdStationaryLaw(lambda, SIGMA, tau, 1, 0, SgdStationaryLaw.Order.FIRST);
        DenoisingSgd sgd = new DenoisingSgd(SIGMA, tau, 400, 1, DenoisingSgd.Iterate.FINAL);
        int runs = 600;
        int d = lambda.length;
        double[][] entries = new double[runs][];
        for (int r = 0; r < runs; r++) {
            entries[r] = flatten(sgd.train(new FreshData(null, lambda), RandomStreams.forTask("fresh", r)));
        }
        double z = new NormalDistribution().inverseCumulativeProbability(1 - 0.01 / (2 * (d * d + d)));
        int firstOrderRejected = 0;
        for (int e = 0; e < d * d + d; e++) {
            double exactVariance = e < d * d ? exact.varianceA(e % d, e / d) : exact.varianceB(e - d * d);
            double firstVariance = e < d * d ? first.varianceA(e % d, e / d) : first.varianceB(e - d * d);
            double[] x = column(entries, e);
            // the mean is the population optimum (fresh data); the variance's standard error from the fourth moment
            double target = e < d * d && e % d == e / d ? lambda[e % d] / (lambda[e % d] + SIGMA * SIGMA) : 0;
            double m2 = 0;
            double m4 = 0;
            for (double v : x) {
                double c = v - target;
                m2 += c * c / runs;
                m4 += c * c * c * c / runs;
            }
            double halfWidth = z * Math.sqrt((m4 - m2 * m2) / runs);
            assertTrue(Math.abs(m2 - exactVariance) <= halfWidth, "entry " + e + ": variance " + m2 + ", exact "
                    + exactVariance + " +- " + halfWidth + " (first order " + firstVariance + ")");
            if (Math.abs(m2 - firstVariance) > halfWidth) {
                firstOrderRejected++;
            }
        }
        assertTrue(firstOrderRejected > 0, "at tau = 0.1 the first order (up to 46% low) should be rejected");
    }

    @Test
    void varianceBoundSolvesTheOneSampleEquation() {
        double[] lambda = Spectrum.powerLaw(16, 1).lambda();
        double bound = SgdStationaryLaw.varianceStabilityBound(lambda, SIGMA, 1);
        // one sample per step: tau G(tau) = 2 with G = 1 + sum_i s_i / (1 - tau s_i) (10.3)
        double g = 1;
        for (double l : lambda) {
            double s = l + SIGMA * SIGMA;
            g += s / (1 - bound * s);
        }
        assertEquals(2, bound * g, 1e-9);
        assertTrue(bound < SgdStationaryLaw.meanStabilityBound(1, SIGMA));
        new SgdStationaryLaw(lambda, SIGMA, 0.999 * bound, 1, 0, SgdStationaryLaw.Order.EXACT);
        assertThrows(IllegalArgumentException.class,
                () -> new SgdStationaryLaw(lambda, SIGMA, 1.001 * bound, 1, 0, SgdStationaryLaw.Order.EXACT));
    }

    @Test
    void sameStreamSameIterates() {
        double[] lambda = Spectrum.powerLaw(5, 2).lambda();
        TrainingSet data = TrainingSet.draw(null, lambda, 10, RandomStreams.forTask("set", 1));
        DenoisingSgd sgd = new DenoisingSgd(SIGMA, 0.05, 500, 3, DenoisingSgd.Iterate.AVERAGE);
        assertEquals(java.util.Arrays.toString(flatten(sgd.train(data, RandomStreams.forTask("x", 2)))),
                java.util.Arrays.toString(flatten(sgd.train(data, RandomStreams.forTask("x", 2)))));
    }

    static double[] flatten(Denoiser den) {
        double[] out = new double[den.a().length + den.b().length];
        System.arraycopy(den.a(), 0, out, 0, den.a().length);
        System.arraycopy(den.b(), 0, out, den.a().length, den.b().length);
        return out;
    }

    private static double[] column(double[][] rows, int e) {
        double[] c = new double[rows.length];
        for (int r = 0; r < rows.length; r++) {
            c[r] = rows[r][e];
        }
        return c;
    }

    private static double mean(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return s / x.length;
    }

    private static double sd(double[] x) {
        double m = mean(x);
        double s = 0;
        for (double v : x) {
            s += (v - m) * (v - m);
        }
        return Math.sqrt(s / (x.length - 1));
    }
}
