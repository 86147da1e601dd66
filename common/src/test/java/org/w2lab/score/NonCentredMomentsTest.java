package org.w2lab.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;
import org.w2lab.linalg.HaarRotation;
import org.w2lab.linalg.SymmetricEigen;
import org.w2lab.random.RandomStreams;
import org.w2lab.spectrum.Spectrum;

/**
 * DSM-SGD on data with a mean (docs/theory.md, 10.10): the linear solve of (10.2) against the closed form (10.3) at
 * {@code mu = 0}, the mean bound against a direct eigenvalue computation, and the spread and mean of SGD runs on
 * fresh non-centred data against the full {@code W} and {@code b* = (I - A*) m}, with Bonferroni intervals (99% in
 * all) whose widths come from the runs' own fourth moments.
 */
class NonCentredMomentsTest {
    private static final double SIGMA = 0.5;

    @Test
    void zeroMeanGivesBackTheClosedForm() {
        double[] lambda = Spectrum.powerLaw(5, 1).lambda();
        double[] zero = new double[lambda.length];
        int d = lambda.length;
        for (int batch : new int[] {1, 4}) {
            for (double tau : new double[] {0.01, 0.1}) {
                double[] w = new NonCentredMoments(lambda, zero, SIGMA).w(tau, batch);
                SgdStationaryLaw law = new SgdStationaryLaw(lambda, SIGMA, tau, batch, 0,
                        SgdStationaryLaw.Order.EXACT);
                for (int a = 0; a < d; a++) {
                    double r = SIGMA * SIGMA * lambda[a] / (lambda[a] + SIGMA * SIGMA);
                    for (int u = 0; u <= d; u++) {
                        for (int v = 0; v <= d; v++) {
                            double expected = law.optimizationCovariance(a, u, v);
                            assertEquals(expected, tau * tau * r * w[v * (d + 1) + u], 1e-12 * law.varianceA(a, a),
                                    "B = " + batch + ", tau = " + tau + ", (" + u + ", " + v + ")");
                        }
                    }
                }
            }
            double closed = SgdStationaryLaw.varianceStabilityBound(lambda, SIGMA, batch);
            assertEquals(closed, new NonCentredMoments(lambda, zero, SIGMA).varianceStabilityBound(batch),
                    1e-9 * closed);
        }
    }

    @Test
    void meanBoundIsTheTopEigenvalueOfTheSecondMomentOfTheFeature() {
        // d = 1: H = [[s + mu^2, mu], [mu, 1]], lambda_max = (t + sqrt(t^2 - 4 s)) / 2, t = s + mu^2 + 1
        double s = 0.7 + SIGMA * SIGMA;
        double mu = 1.3;
        double t = s + mu * mu + 1;
        double top = (t + Math.sqrt(t * t - 4 * s)) / 2;
        assertEquals(2 / top, SgdStationaryLaw.meanStabilityBound(new double[] {0.7}, new double[] {mu}, SIGMA),
                1e-14);
        // a random basis: H built in the data's basis, [[C + sigma^2 I + m m^T, m], [m^T, 1]], has the same top
        // eigenvalue as the eigenbasis form with U^T m
        double[] lambda = Spectrum.powerLaw(6, 1).lambda();
        int d = lambda.length;
        double[] basis = HaarRotation.draw(d, RandomStreams.forTask("basis", 3));
        double[] m = DataMean.vector(d, 2.0);
        double[] c = org.w2lab.linalg.Matrices.fromEigen(d, basis, lambda);
        int n = d + 1;
        double[] h = new double[n * n];
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                double mi = i < d ? m[i] : 1;
                double mj = j < d ? m[j] : 1;
                h[j * n + i] = mi * mj + (i < d && j < d ? c[j * d + i] + (i == j ? SIGMA * SIGMA : 0) : 0);
            }
        }
        double max = 0;
        for (double v : SymmetricEigen.of(n, h, false).values()) {
            max = Math.max(max, v);
        }
        double bound = SgdStationaryLaw.meanStabilityBound(lambda, DataMean.inEigenbasis(basis, m), SIGMA);
        assertEquals(2 / max, bound, 1e-12);
        // the mean makes the bound tighter than the centred one
        assertTrue(bound < SgdStationaryLaw.meanStabilityBound(lambda[0], SIGMA));
    }

    @Test
    void meanBoundMatchesTheSampledSecondMomentOfTheFeature() {
        // the expected iterate obeys E Theta' = E Theta (I - tau H) + tau E[x u^T] (10.1), which contracts iff
        // tau < 2 / lambda_max(H): H estimated from fresh samples of u = (x + sigma z, 1), not from the formula
        double[] lambda = {0.8, 0.3};
        double[] mean = {1.0, -0.5};
        double bound = SgdStationaryLaw.meanStabilityBound(lambda, mean, SIGMA);
        FreshData data = new FreshData(null, lambda, mean);
        java.util.random.RandomGenerator rng = RandomStreams.forTask("second moment", 0);
        int n = 3;
        int samples = 400_000;
        double[] h = new double[n * n];
        double[] x = new double[2];
        for (int k = 0; k < samples; k++) {
            data.next(rng, x);
            double[] u = {x[0] + SIGMA * rng.nextGaussian(), x[1] + SIGMA * rng.nextGaussian(), 1};
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < n; i++) {
                    h[j * n + i] += u[i] * u[j] / samples;
                }
            }
        }
        double max = 0;
        for (double v : SymmetricEigen.of(n, h, false).values()) {
            max = Math.max(max, v);
        }
        // the estimate's relative standard error is about 3e-3 here (fourth moments of the feature)
        assertEquals(bound, 2 / max, 0.015 * bound);
    }

    @Test
    void sgdOnNonCentredFreshDataHasTheFullSecondMoments() {
        double[] lambda = Spectrum.powerLaw(3, 1).lambda();
        int d = lambda.length;
        double tau = 0.08;
        double[] m = DataMean.vector(d, 1.5);
        SgdStationaryLaw exact = new SgdStationaryLaw(lambda, m, SIGMA, tau, 1, 0, SgdStationaryLaw.Order.EXACT);
        SgdStationaryLaw centred = new SgdStationaryLaw(lambda, SIGMA, tau, 1, 0, SgdStationaryLaw.Order.EXACT);
        Denoiser optimum = Denoiser.optimum(lambda, null, m, SIGMA);
        DenoisingSgd sgd = new DenoisingSgd(SIGMA, tau, 3000, 1, DenoisingSgd.Iterate.FINAL);
        int runs = 800;
        double[][] entries = new double[runs][];
        for (int r = 0; r < runs; r++) {
            entries[r] = DenoisingSgdTest.flatten(sgd.train(new FreshData(null, lambda, m),
                    RandomStreams.forTask("non-centred", r)));
        }
        double[] target = DenoisingSgdTest.flatten(optimum);
        // per row a: every pair (u <= v) of its d + 1 entries, plus every entry's mean
        int checks = d * (d + 1) * (d + 2) / 2 + d * d + d;
        double z = new NormalDistribution().inverseCumulativeProbability(1 - 0.01 / (2 * checks));
        for (int e = 0; e < d * d + d; e++) {
            double mean = 0;
            double sq = 0;
            for (double[] row : entries) {
                mean += row[e] / runs;
            }
            for (double[] row : entries) {
                sq += (row[e] - mean) * (row[e] - mean) / (runs - 1);
            }
            double halfWidth = z * Math.sqrt(sq / runs);
            assertTrue(Math.abs(mean - target[e]) <= halfWidth, "entry " + e + ": mean " + mean + ", optimum "
                    + target[e] + " +- " + halfWidth);
        }
        int centredRejected = 0;
        for (int a = 0; a < d; a++) {
            for (int u = 0; u <= d; u++) {
                for (int v = u; v <= d; v++) {
                    int p = u < d ? u * d + a : d * d + a;
                    int q = v < d ? v * d + a : d * d + a;
                    double[] products = new double[runs];
                    for (int r = 0; r < runs; r++) {
                        products[r] = (entries[r][p] - target[p]) * (entries[r][q] - target[q]);
                    }
                    double mean = 0;
                    for (double x : products) {
                        mean += x / runs;
                    }
                    double var = 0;
                    for (double x : products) {
                        var += (x - mean) * (x - mean) / (runs - 1);
                    }
                    double halfWidth = z * Math.sqrt(var / runs);
                    double expected = exact.optimizationCovariance(a, u, v);
                    assertTrue(Math.abs(mean - expected) <= halfWidth, "row " + a + ", (" + u + ", " + v
                            + "): covariance " + mean + ", exact " + expected + " +- " + halfWidth);
                    if (Math.abs(mean - centred.optimizationCovariance(a, u, v)) > halfWidth) {
                        centredRejected++;
                    }
                }
            }
        }
        assertTrue(centredRejected > 0, "the centred law should be rejected: the test has no power");
    }

    @Test
    void pastTheVarianceBoundThereIsNoLaw() {
        double[] lambda = Spectrum.powerLaw(4, 1).lambda();
        double[] mean = DataMean.inEigenbasis(null, DataMean.vector(4, 1.0));
        double bound = SgdStationaryLaw.varianceStabilityBound(lambda, mean, SIGMA, 1);
        assertTrue(bound < SgdStationaryLaw.meanStabilityBound(lambda, mean, SIGMA));
        assertTrue(bound < SgdStationaryLaw.varianceStabilityBound(lambda, SIGMA, 1), "a mean lowers the bound");
        new SgdStationaryLaw(lambda, mean, SIGMA, 0.999 * bound, 1, 0, SgdStationaryLaw.Order.EXACT);
        assertThrows(IllegalArgumentException.class,
                () -> new SgdStationaryLaw(lambda, mean, SIGMA, 1.001 * bound, 1, 0, SgdStationaryLaw.Order.EXACT));
    }
}
