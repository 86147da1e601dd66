package org.w2lab.theory;

import org.w2lab.sampler.DiscreteScheme;
import org.w2lab.sampler.GaussianLaw;
import org.w2lab.sampler.LinearScore;
import org.w2lab.sampler.ScoreUndefinedException;
import org.w2lab.schedule.ForwardProcess;
import org.w2lab.schedule.TimeGrid;
import org.w2lab.spectrum.Spectrum;
import org.w2lab.wasserstein.BuresW2;

/**
 * Exact W2 errors of a sampler run with any affine score, through the full-matrix engine (docs/theory.md, section
 * 5): the law of every iterate is a Gaussian {@code N(m_k, S_k)} in general position, pushed through each step's
 * affine map, and compared with {@code p_{t_k}} by the Bures formula. The score is written in the data's eigenbasis,
 * where {@code p_t = N(0, diag(sigma_t^2(lambda)))}; a score error that does not commute with the data covariance
 * ({@link org.w2lab.sampler.PerturbedScore}) is what makes this engine necessary. No random numbers.
 */
public final class MatrixTheory {
    private final Spectrum spectrum;
    private final ForwardProcess process;

    public MatrixTheory(Spectrum spectrum, ForwardProcess process) {
        this.spectrum = spectrum;
        this.process = process;
    }

    /**
     * Runs a scheme on a grid with the given score, from {@code p_T} or the process's prior.
     *
     * @param score       the score in the data's eigenbasis
     * @param recordEvery as {@link SpectralTheory#discrete(DiscreteScheme, TimeGrid, java.util.List, int)}
     */
    public TheoryResult discrete(DiscreteScheme scheme, TimeGrid grid, LinearScore score, Init init,
                                 int recordEvery) {
        int n = spectrum.dimension();
        int steps = grid.steps();
        GaussianLaw law = new GaussianLaw(n, new double[n],
                diagonal(new SpectralTheory(spectrum, process).initialVariances(init)));
        Recorder rec = new Recorder(steps, recordEvery);
        rec.offer(0, 0, w2ToMarginal(law, grid.forward(0)));
        try {
            for (int k = 0; k < steps; k++) {
                law = scheme.step(law, score, process, grid.forward(k), grid.forward(k + 1));
                if (!isFinite(law)) {
                    return rec.result(TheoryResult.Status.DIVERGED, Double.NaN);
                }
                if (rec.wants(k + 1)) {
                    rec.offer(k + 1, grid.backward(k + 1), w2ToMarginal(law, grid.forward(k + 1)));
                }
            }
        } catch (ScoreUndefinedException e) {
            return rec.result(TheoryResult.Status.SCORE_UNDEFINED, Double.NaN);
        }
        double w2 = BuresW2.distance(law.mean(), law.cov(), new double[n], diagonal(spectrum.lambda()));
        return rec.result(Double.isFinite(w2) ? TheoryResult.Status.OK : TheoryResult.Status.DIVERGED, w2);
    }

    private double w2ToMarginal(GaussianLaw law, double t) {
        double[] v = new double[law.n()];
        for (int i = 0; i < v.length; i++) {
            v[i] = process.variance(spectrum.lambda(i), t);
        }
        return BuresW2.distance(law.mean(), law.cov(), new double[v.length], diagonal(v));
    }

    private static double[] diagonal(double[] v) {
        int n = v.length;
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            a[i * n + i] = v[i];
        }
        return a;
    }

    private static boolean isFinite(GaussianLaw law) {
        for (double[] xs : new double[][] {law.mean(), law.cov()}) {
            for (double x : xs) {
                if (!Double.isFinite(x)) {
                    return false;
                }
            }
        }
        return true;
    }
}
