package org.w2lab.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.w2lab.random.RandomStreams;
import org.w2lab.sampler.DiscreteScheme;
import org.w2lab.sampler.LinearScore;
import org.w2lab.sampler.Schemes;
import org.w2lab.schedule.DiscreteBetaSchedule;
import org.w2lab.schedule.ForwardProcess;
import org.w2lab.schedule.TimeGrid;
import org.w2lab.schedule.VeSchedule;
import org.w2lab.schedule.VpSchedule;
import org.w2lab.score.NoiseLevelTraining;
import org.w2lab.score.SgdStationaryLaw;
import org.w2lab.spectrum.Spectrum;

/**
 * The learned-score prediction (docs/theory.md, 15.3) against independent computations: the exact-score limit, and
 * the exact full-matrix W2 of denoisers drawn from the first-order law of every level, averaged (the expansion and
 * its pair decomposition are what is tested: a wrong coefficient or a lost cross-level correlation moves the
 * prediction out of the interval). Both run SGD for as many steps as an int holds, so that every level has reached
 * its stationary law and the finite-K transient of 15.3 vanishes; the real pipeline, transient included, is checked in
 * {@code LearnedPipelineTest}.
 */
class LearnedScorePredictionTest {
    private static final Spectrum SPECTRUM = Spectrum.powerLaw(3, 1.0);
    private static final ForwardProcess VP = new VpSchedule(0.05, 10, 1);
    private static final TimeGrid GRID = TimeGrid.uniform(1, 0.02, 8);
    /** Two-sided 99.9% normal quantile: a handful of points per scheme are compared. */
    private static final double Z = 3.29;

    /**
     * The limits {@code tau -> 0} and {@code N -> infinity}: the excess over the exact-score error is first order in
     * {@code tau} (dividing {@code tau} by 10 divides it by 10) and the training set's share first order in
     * {@code 1 / N}, at every recorded step, so both vanish with their parameter. The ratios are deterministic; what
     * moves them off 10 is the next order, relative size {@code tau} (1e-5, so 1% is loose) and about
     * {@code d / N} (3e-3 at {@code N = 1000}, hence 5%).
     */
    /**
     * Where the first-order terms cancel more than the exact-score error the prediction of {@code E W2^2} is
     * negative: DPM-Solver++(2M) SDE at 10 evaluations on the cosine schedule and the EDM grid (exact-score error
     * 0.41, a large discretization error) with {@code N = 1000}, {@code tau = 0.01}. That is a status, with no value
     * and no recorded point, the same by the closed form and by the differences; at {@code tau = 0.002} the same
     * sampler is predicted.
     */
    @Test
    void aNegativeExpansionIsAStatusNotAValue() {
        Spectrum spectrum = Spectrum.powerLaw(32, 1.0);
        ForwardProcess cosine = DiscreteBetaSchedule.cosine(1);
        TimeGrid grid = TimeGrid.edm(cosine, 1e-3, 10, 7);
        for (boolean closedForm : new boolean[] {true, false}) {
            TheoryResult negative = new LearnedScorePrediction(spectrum, cosine, new NoiseLevelTraining(0.01, 100000, 1),
                    1000, closedForm).discrete(Schemes.DPMPP_2M_SDE, grid, Init.NORMAL, 1);
            assertEquals(TheoryResult.Status.EXPANSION_NEGATIVE, negative.status(), "closed form " + closedForm);
            assertTrue(Double.isNaN(negative.w2ToData()));
            assertEquals(0, negative.w2ToMarginal().length);
        }
        TheoryResult predicted = new LearnedScorePrediction(spectrum, cosine, new NoiseLevelTraining(0.002, 100000, 1),
                1000).discrete(Schemes.DPMPP_2M_SDE, grid, Init.NORMAL, 1);
        assertEquals(TheoryResult.Status.OK, predicted.status());
        assertTrue(predicted.w2ToData() > 0);
    }

    @Test
    void excessIsFirstOrderInTauAndInOneOverN() {
        for (DiscreteScheme scheme : new DiscreteScheme[] {Schemes.DDPM, Schemes.HEUN, Schemes.DPM_SOLVER_2}) {
            double[] exact = squares(new SpectralTheory(SPECTRUM, VP).discrete(scheme, GRID,
                    List.of(Init.NORMAL), 1).get(0));
            double[] tau = squares(predict(scheme, 1e-5, 0));
            double[] tenth = squares(predict(scheme, 1e-6, 0));
            double[] data = squares(predict(scheme, 1e-6, 1000));
            double[] moreData = squares(predict(scheme, 1e-6, 10000));
            for (int p = 1; p < exact.length; p++) {
                String where = scheme.id() + " point " + p;
                assertEquals(10, (tau[p] - exact[p]) / (tenth[p] - exact[p]), 0.01, where);
                assertEquals(10, (data[p] - tenth[p]) / (moreData[p] - tenth[p]), 0.05, where);
            }
        }
    }

    private static TheoryResult predict(DiscreteScheme scheme, double tau, int n) {
        TheoryResult r = new LearnedScorePrediction(SPECTRUM, VP, new NoiseLevelTraining(tau, Integer.MAX_VALUE, 1), n)
                .discrete(scheme, GRID, Init.NORMAL, 1);
        assertEquals(TheoryResult.Status.OK, r.status());
        return r;
    }

    /** The squared errors at the recorded steps, then to {@code p_data}. */
    private static double[] squares(TheoryResult r) {
        double[] w = java.util.Arrays.copyOf(r.w2ToMarginal(), r.w2ToMarginal().length + 1);
        w[w.length - 1] = r.w2ToData();
        for (int p = 0; p < w.length; p++) {
            w[p] *= w[p];
        }
        return w;
    }

    static List<ForwardProcess> processes() {
        return List.of(VP, new VeSchedule(0.05, 2, 1));
    }

    @ParameterizedTest
    @MethodSource("processes")
    void predictionMatchesTheExactErrorOfDrawnDenoisers(ForwardProcess process) {
        NoiseLevelTraining training = new NoiseLevelTraining(0.05, Integer.MAX_VALUE, 1);
        int n = 100;
        int draws = 3000;
        // DDPM is defined on VP only: EM stands for it on VE
        DiscreteScheme stochastic = "vp".equals(process.id()) ? Schemes.DDPM : Schemes.EM;
        for (DiscreteScheme scheme : new DiscreteScheme[] {stochastic, Schemes.HEUN, Schemes.DPM_SOLVER_2}) {
            TheoryResult predicted = new LearnedScorePrediction(SPECTRUM, process, training, n)
                    .discrete(scheme, GRID, Init.NORMAL, 2);
            TheoryResult withoutData = new LearnedScorePrediction(SPECTRUM, process, training, 0)
                    .discrete(scheme, GRID, Init.NORMAL, 2);
            TheoryResult exactScore = new SpectralTheory(SPECTRUM, process).discrete(scheme, GRID,
                    List.of(Init.NORMAL), 2).get(0);
            int points = predicted.steps().length + 1;
            double[] sum = new double[points];
            double[] sumSq = new double[points];
            MatrixTheory matrix = new MatrixTheory(SPECTRUM, process);
            for (int m = 0; m < draws; m++) {
                TheoryResult r = matrix.discrete(scheme, GRID, new DrawnDenoisers(process, training, n, m), Init.NORMAL, 2);
                assertEquals(TheoryResult.Status.OK, r.status());
                for (int p = 0; p < points; p++) {
                    double w = p < points - 1 ? r.w2ToMarginal()[p] : r.w2ToData();
                    sum[p] += w * w;
                    sumSq[p] += w * w * w * w;
                }
            }
            boolean dataMatters = false;
            for (int p = 1; p < points; p++) {
                double mean = sum[p] / draws;
                double se = Math.sqrt((sumSq[p] / draws - mean * mean) / (draws - 1));
                double pred = square(p < points - 1 ? predicted.w2ToMarginal()[p] : predicted.w2ToData());
                double exact = square(p < points - 1 ? exactScore.w2ToMarginal()[p] : exactScore.w2ToData());
                double noData = square(p < points - 1 ? withoutData.w2ToMarginal()[p] : withoutData.w2ToData());
                String where = process.id() + " " + scheme.id() + " point " + p + ": predicted " + pred + ", drawn " + mean + " +- " + se
                        + ", exact score " + exact + ", without the data's part " + noData;
                assertTrue(Math.abs(mean - pred) <= Z * se, where);
                assertTrue(mean - exact > 10 * se, "the learned score must visibly add error: " + where);
                dataMatters |= Math.abs(mean - noData) > Z * se;
            }
            assertTrue(dataMatters, process.id() + " " + scheme.id() + ": the generalization part must be needed somewhere");
        }
    }

    /**
     * Denoisers drawn from the first-order law of each level (10.2, 10.4): the optimum, the dataset's bias, the one
     * training set's {@code E} and sample mean (shared by all levels), and each level's own SGD fluctuation.
     */
    private static final class DrawnDenoisers implements LinearScore {
        private final ForwardProcess process;
        private final NoiseLevelTraining training;
        private final int n;
        private final long draw;
        private final double[] e = new double[9];
        private final double[] mean = new double[3];
        private final Map<Long, double[][]> levels = new HashMap<>();

        DrawnDenoisers(ForwardProcess process, NoiseLevelTraining training, int n, long draw) {
            this.process = process;
            this.training = training;
            this.n = n;
            this.draw = draw;
            RandomGenerator rng = RandomStreams.forTask("drawn-denoisers-data", draw);
            for (int j = 0; j < 3; j++) {
                for (int i = 0; i <= j; i++) {
                    double sd = Math.sqrt(SPECTRUM.lambda(i) * SPECTRUM.lambda(j) * (i == j ? 2 : 1) / n);
                    e[j * 3 + i] = sd * rng.nextGaussian();
                    e[i * 3 + j] = e[j * 3 + i];
                }
                mean[j] = Math.sqrt(SPECTRUM.lambda(j) / n) * rng.nextGaussian();
            }
        }

        @Override
        public int dimension() {
            return 3;
        }

        @Override
        public void at(double t, double[] p, double[] c) {
            double[][] ab = levels.computeIfAbsent(Double.doubleToLongBits(t), bits -> denoiser(t, bits));
            double noise = process.noise(t);
            for (int i = 0; i < 9; i++) {
                p[i] = ((i % 4 == 0 ? 1 : 0) - ab[0][i]) / noise;
            }
            for (int i = 0; i < 3; i++) {
                c[i] = process.scale(t) * ab[1][i] / noise;
            }
        }

        private double[][] denoiser(double t, long bits) {
            double sigma = process.noiseLevel(t);
            double s2 = sigma * sigma;
            SgdStationaryLaw law = new SgdStationaryLaw(SPECTRUM.lambda(), sigma, training.tauAt(sigma),
                    training.batch(), n, SgdStationaryLaw.Order.FIRST);
            RandomGenerator rng = RandomStreams.forTask("drawn-denoisers-level;" + bits, draw);
            double[] a = new double[9];
            double[] b = new double[3];
            for (int j = 0; j < 3; j++) {
                double sj = SPECTRUM.lambda(j) + s2;
                for (int i = 0; i < 3; i++) {
                    double si = SPECTRUM.lambda(i) + s2;
                    a[j * 3 + i] = s2 * e[j * 3 + i] / (si * sj) + Math.sqrt(law.varianceA(i, j)) * rng.nextGaussian();
                }
                a[j * 3 + j] += SPECTRUM.lambda(j) / sj + law.generalizationBias(j);
                b[j] = s2 * mean[j] / sj + Math.sqrt(law.varianceB(j)) * rng.nextGaussian();
            }
            return new double[][] {a, b};
        }
    }

    private static double square(double x) {
        return x * x;
    }
}
