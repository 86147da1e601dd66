package org.w2lab.wasserstein;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.w2lab.linalg.HaarRotation;
import org.w2lab.linalg.Matrices;
import org.w2lab.random.RandomStreams;
import org.w2lab.sampler.GaussianLaw;
import org.w2lab.sampler.ParticleBlock;

/** The target's one-eigendecomposition estimate against the general Bures formula and the bias formula. */
class GaussianTargetTest {
    private static final double[] VARIANCES = {2, 1, 0.5, 0.25, 0.1};
    private static final int N = VARIANCES.length;

    private static void agreesWithTheGeneralFormulas(double[] basis) {
        double[] c = basis == null ? diag(VARIANCES) : Matrices.fromEigen(N, basis, VARIANCES);
        GaussianLaw fit = ParticleBlock.sample(GaussianLaw.standard(N), 50, RandomStreams.forTask("target", 1)).fit();
        GaussianTarget.FitEstimate e = new GaussianTarget(basis, VARIANCES).estimate(fit.mean(), fit.cov(), 50);
        assertEquals(BuresW2.distance(fit.mean(), fit.cov(), new double[N], c), e.w2Fit(), 1e-12);
        assertEquals(GaussianFitBias.ofSquared(N, fit.cov(), c, 50), e.biasSquared(), 1e-12);
        assertEquals(Math.sqrt(e.w2Fit() * e.w2Fit() - e.biasSquared()), e.w2Corrected(), 1e-15);
    }

    @Test
    void identityBasis() {
        agreesWithTheGeneralFormulas(null);
    }

    @Test
    void rotatedBasis() {
        agreesWithTheGeneralFormulas(HaarRotation.draw(N, RandomStreams.forTask("target", 0)));
    }

    @Test
    void targetWithAMean() {
        double[] basis = HaarRotation.draw(N, RandomStreams.forTask("target", 2));
        double[] c = Matrices.fromEigen(N, basis, VARIANCES);
        double[] m = {1, -2, 0.5, 0, 3};
        GaussianLaw fit = ParticleBlock.sample(GaussianLaw.standard(N), 50, RandomStreams.forTask("target", 3)).fit();
        GaussianTarget.FitEstimate e = new GaussianTarget(basis, VARIANCES, m).estimate(fit.mean(), fit.cov(), 50);
        assertEquals(BuresW2.distance(fit.mean(), fit.cov(), m, c), e.w2Fit(), 1e-12);
        assertEquals(GaussianFitBias.ofSquared(N, fit.cov(), c, 50), e.biasSquared(), 1e-12);
    }

    @Test
    void correctionIsClippedAtZero() {
        assertEquals(0, new GaussianTarget.FitEstimate(0.1, 0.02).w2Corrected(), 0);
    }

    private static double[] diag(double[] v) {
        double[] a = new double[v.length * v.length];
        for (int i = 0; i < v.length; i++) {
            a[i * v.length + i] = v[i];
        }
        return a;
    }
}
