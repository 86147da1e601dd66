package org.w2lab.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.w2lab.linalg.HaarRotation;
import org.w2lab.random.RandomStreams;
import org.w2lab.spectrum.Spectrum;

/**
 * The predicted Gaussian law of the SGD iterates as a vector law (docs/theory.md, 10.8) against draws assembled
 * entry by entry, and against real SGD iterates, one per seed, judged by the sampling distribution of the fit.
 */
class IterateFitTest {
    private static final double SIGMA = 0.5;

    @Test
    void meanAndCovarianceMatrixAreThoseOfTheDraws() {
        double[] lambda = Spectrum.powerLaw(3, 1).lambda();
        assertDrawsFollow(new SgdStationaryLaw(lambda, SIGMA, 0.05, 1, 30, SgdStationaryLaw.Order.EXACT),
                RandomStreams.forTask("law draws", 0));
    }

    /** With a data mean: the full {@code W} within rows and {@code b^}'s correlation with {@code D} (10.10). */
    @Test
    void withADataMeanTheCovarianceMatrixIsThatOfTheDraws() {
        double[] lambda = Spectrum.powerLaw(3, 1).lambda();
        double[] mean = DataMean.inEigenbasis(HaarRotation.draw(3, RandomStreams.forTask("basis", 1)),
                DataMean.vector(3, 1.5));
        assertDrawsFollow(new SgdStationaryLaw(lambda, mean, SIGMA, 0.05, 1, 30, SgdStationaryLaw.Order.EXACT),
                RandomStreams.forTask("law draws with a mean", 0));
    }

    private static void assertDrawsFollow(SgdStationaryLaw law, RandomGenerator rng) {
        int n = 20_000;
        List<double[]> draws = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            draws.add(IterateFit.parameters(law.draw(rng), null));
        }
        IterateFit fit = IterateFit.of(draws);
        double[] m = law.meanVector();
        double[] s = law.covarianceMatrix();
        int p = law.parameters();
        // 4.5 standard errors: each entry's chance of a false alarm is below 1e-5, below 1% over the 420 entries
        for (int u = 0; u < p; u++) {
            double se = Math.sqrt(s[u * p + u] / n);
            assertEquals(m[u], fit.mean()[u], 4.5 * se, "mean entry " + u);
            for (int v = 0; v < p; v++) {
                // the sample covariance of Gaussian vectors: Var(S_uv) = (S_uu S_vv + S_uv^2) / (n - 1)
                double seCov = Math.sqrt((s[u * p + u] * s[v * p + v] + s[v * p + u] * s[v * p + u]) / (n - 1));
                assertEquals(s[v * p + u], fit.covariance()[v * p + u], 4.5 * seCov, "covariance entry " + u + ", "
                        + v);
            }
        }
    }

    @Test
    void parametersAreTheSameLawInAnyBasis() {
        double[] lambda = Spectrum.powerLaw(3, 1).lambda();
        double[] basis = HaarRotation.draw(3, RandomStreams.forTask("basis", 0));
        Denoiser optimum = Denoiser.optimum(lambda, basis, SIGMA);
        double[] theta = IterateFit.parameters(optimum, basis);
        double[] diagonal = IterateFit.parameters(Denoiser.optimum(lambda, null, SIGMA), null);
        for (int u = 0; u < theta.length; u++) {
            assertEquals(diagonal[u], theta[u], 1e-14, "entry " + u);
        }
    }

    /**
     * Real iterates on fresh data at a step where first order underestimates the variance: the exact law's W2 lies
     * inside the 99% range of a perfect prediction's, the first-order law's beyond it.
     */
    @Test
    void realIteratesFollowTheExactLawNotTheFirstOrderOne() {
        double[] lambda = Spectrum.powerLaw(3, 1).lambda();
        double tau = 0.15;
        int seeds = 400;
        SgdStationaryLaw exact = new SgdStationaryLaw(lambda, SIGMA, tau, 1, 0, SgdStationaryLaw.Order.EXACT);
        SgdStationaryLaw first = new SgdStationaryLaw(lambda, SIGMA, tau, 1, 0, SgdStationaryLaw.Order.FIRST);
        DenoisingSgd sgd = new DenoisingSgd(SIGMA, tau, 600, 1, DenoisingSgd.Iterate.FINAL);
        List<double[]> iterates = new ArrayList<>(seeds);
        for (int s = 0; s < seeds; s++) {
            iterates.add(IterateFit.parameters(sgd.train(new FreshData(null, lambda),
                    RandomStreams.forTask("fresh iterates", s)), null));
        }
        IterateFit fit = IterateFit.of(iterates);
        double[] perfect = IterateFit.samplingW2(exact, seeds, 200, RandomStreams.forTask("perfect", 0));
        double q99 = perfect[197];
        assertTrue(fit.w2To(exact) <= q99, "exact law: W2 " + fit.w2To(exact) + ", 99% of a perfect prediction's "
                + "below " + q99);
        assertTrue(fit.w2To(first) > q99, "first-order law: W2 " + fit.w2To(first) + " inside the 99% range "
                + q99 + ": the test cannot tell the two laws apart");
    }

    /**
     * With a small training set the generalization part (first order in 1/N) is needed: the predicted law within the
     * sampling range, the law without it beyond.
     */
    @Test
    void iteratesOnTrainingSetsFollowThePredictedLaw() {
        double[] lambda = Spectrum.powerLaw(3, 1).lambda();
        double tau = 0.05;
        int n = 50;
        int seeds = 400;
        SgdStationaryLaw exact = new SgdStationaryLaw(lambda, SIGMA, tau, 1, n, SgdStationaryLaw.Order.EXACT);
        SgdStationaryLaw noGeneralization = new SgdStationaryLaw(lambda, SIGMA, tau, 1, 0,
                SgdStationaryLaw.Order.EXACT);
        DenoisingSgd sgd = new DenoisingSgd(SIGMA, tau, 1500, 1, DenoisingSgd.Iterate.FINAL);
        IterateFit fit = fitOnTrainingSets(sgd, lambda, null, n, seeds, "training iterates");
        double[] perfect = IterateFit.samplingW2(exact, seeds, 200, RandomStreams.forTask("perfect", 1));
        double q99 = perfect[197];
        assertTrue(fit.w2To(exact) <= q99, "W2 " + fit.w2To(exact) + ", 99% of a perfect prediction's below " + q99);
        assertTrue(fit.w2To(noGeneralization) > q99, "without the generalization part: W2 "
                + fit.w2To(noGeneralization) + " inside the 99% range " + q99 + ": the test has no power");
    }

    /**
     * Non-centred data and a small training set: the law with the data mean (full {@code W}, {@code b^ - b* =
     * (I - A*) eps - D mu}) within the sampling range; the same law without the mean's covariance terms (the mean
     * vector kept) beyond it.
     */
    @Test
    void iteratesOnNonCentredTrainingSetsFollowThePredictedLaw() {
        double[] lambda = Spectrum.powerLaw(3, 1).lambda();
        double tau = 0.05;
        int n = 50;
        int seeds = 400;
        double[] m = DataMean.vector(3, 2.0);
        SgdStationaryLaw exact = new SgdStationaryLaw(lambda, m, SIGMA, tau, 1, n, SgdStationaryLaw.Order.EXACT);
        DenoisingSgd sgd = new DenoisingSgd(SIGMA, tau, 4000, 1, DenoisingSgd.Iterate.FINAL);
        IterateFit fit = fitOnTrainingSets(sgd, lambda, m, n, seeds, "non-centred iterates");
        double[] perfect = IterateFit.samplingW2(exact, seeds, 200, RandomStreams.forTask("perfect", 2));
        double q99 = perfect[197];
        assertTrue(fit.w2To(exact) <= q99, "W2 " + fit.w2To(exact) + ", 99% of a perfect prediction's below " + q99);
        double[] diagonalOnly = exact.covarianceMatrix();
        int p = exact.parameters();
        for (int v = 0; v < p; v++) {
            for (int u = 0; u < p; u++) {
                boolean pair = u < 9 && v < 9 && (u == v || u == 3 * (v % 3) + v / 3);
                if (!pair && u != v) {
                    diagonalOnly[v * p + u] = 0;
                }
            }
        }
        double without = org.w2lab.wasserstein.BuresW2.distance(fit.mean(), fit.covariance(), exact.meanVector(),
                diagonalOnly);
        assertTrue(without > q99, "without the mean's covariances: W2 " + without + " inside the 99% range " + q99
                + ": the test has no power");
    }

    /** The fit of one final iterate per seed, each seed on its own training set of {@code n} samples. */
    private static IterateFit fitOnTrainingSets(DenoisingSgd sgd, double[] lambda, double[] mean, int n, int seeds,
                                                String stream) {
        List<double[]> iterates = new ArrayList<>(seeds);
        for (int s = 0; s < seeds; s++) {
            RandomGenerator rng = RandomStreams.forTask(stream, s);
            iterates.add(IterateFit.parameters(sgd.train(TrainingSet.draw(null, lambda, mean, n, rng), rng), null));
        }
        return IterateFit.of(iterates);
    }
}
