package org.w2lab.jobs.compute;

import java.util.random.RandomGenerator;
import org.w2lab.jobs.config.TaskSpec;
import org.w2lab.linalg.Matrices;
import org.w2lab.linalg.SymmetricEigen;
import org.w2lab.random.RandomStreams;
import org.w2lab.sampler.ExactVpScore;
import org.w2lab.sampler.LinearScore;
import org.w2lab.sampler.PerturbedScore;
import org.w2lab.schedule.ForwardProcess;
import org.w2lab.spectrum.Spectrum;

/**
 * The score of {@code score = perturbed}: the exact denoiser plus {@code delta G} (docs/theory.md, 14). {@code G} is
 * a symmetric matrix with independent standard normal entries on and above the diagonal (a GOE draw), divided by its
 * largest absolute eigenvalue so that its operator norm is 1 and {@code delta} is the size of the denoiser's error. It
 * is written in the data's eigenbasis and drawn from a stream of the spectrum alone ({@link TaskSpec#dataKey()},
 * seed 0), so every sampler, grid, process, delta and seed of the same spectrum meets the same {@code G}, and a
 * simulation in a random basis {@code U} uses {@code U G U^T}: the theory does not depend on the basis.
 */
final class ScoreError {
    private ScoreError() {
    }

    /** {@code G} in the data's eigenbasis, column-major {@code d x d}. */
    static double[] draw(TaskSpec t) {
        int d = t.d();
        RandomGenerator rng = RandomStreams.forTask("score_error;" + t.dataKey(), 0);
        double[] g = new double[d * d];
        for (int j = 0; j < d; j++) {
            for (int i = 0; i <= j; i++) {
                double z = rng.nextGaussian();
                g[j * d + i] = z;
                g[i * d + j] = z;
            }
        }
        double[] values = SymmetricEigen.of(d, g, false).values();
        double norm = Math.max(Math.abs(values[0]), Math.abs(values[d - 1]));
        for (int i = 0; i < g.length; i++) {
            g[i] /= norm;
        }
        return g;
    }

    /**
     * The perturbed score of the task in a basis.
     *
     * @param basis the data's eigenbasis {@code U}; {@code null} for the identity (the theory's)
     */
    static LinearScore score(TaskSpec t, Spectrum spectrum, ForwardProcess process, double[] basis) {
        double[] g = draw(t);
        return new PerturbedScore(new ExactVpScore(process, spectrum.lambda(), basis, new double[t.d()]), process,
                basis == null ? g : Matrices.congruence(t.d(), basis, g), t.diffusion().delta());
    }
}
