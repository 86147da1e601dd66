package org.w2lab.jobs.compute;

import java.io.Serializable;
import org.w2lab.simulation.LangevinPipeline;
import org.w2lab.theory.TheoryResult.Status;

/**
 * The few numbers of one seed that its configuration's summary needs (what crosses the shuffle). The {@code ula}
 * numbers are NaN for the diffusion samplers.
 *
 * @param seed                 the seed index
 * @param status               the seed's status
 * @param w2Empirical          the bias-corrected Gaussian-fit W2, clipped at 0 (NaN unless ok)
 * @param w2sqEmpirical        the bias-corrected Gaussian-fit W2^2, unclipped: negative below the estimator's
 *                             resolution (NaN unless ok)
 * @param w2Fit                the raw Gaussian-fit W2 (NaN unless ok)
 * @param w2Sliced             the sliced W2 (NaN unless ok)
 * @param w2Conditional        ula: the exact W2 of the learned chain after its steps; score = learned: the exact W2
 *                             of the sampler's law given the seed's denoisers
 * @param w2Stationary         ula: the exact W2 of the learned chain's stationary law
 * @param w2Noise              ula: the empirical W2 with the noise amplitude alone
 * @param w2PlusDiscretization ula: ... plus the ULA step
 * @param w2PlusOptimization   ula: ... plus SGD on fresh samples
 * @param sgdTheta             sgd: the final iterate {@code (vec A, b)} in the eigenbasis; {@code null} otherwise
 */
public record RunMetrics(int seed, Status status, double w2Empirical, double w2sqEmpirical, double w2Fit, double w2Sliced,
                         double w2Conditional, double w2Stationary, double w2Noise, double w2PlusDiscretization,
                         double w2PlusOptimization, double[] sgdTheta) implements Serializable {
    private static final long serialVersionUID = 4L;

    public static RunMetrics of(RunOutput out) {
        var r = out.simulation();
        boolean ok = r.fit() != null;
        LangevinPipeline.Result l = out.langevin();
        double nan = Double.NaN;
        var diffusion = out.seedTask().task().diffusion();
        double conditional = l != null ? l.w2Conditional()
                : diffusion != null && diffusion.learned() ? out.theory().w2ToData() : nan;
        return new RunMetrics(out.seedTask().seed(), r.status(), ok ? r.fit().w2Corrected() : nan,
                ok ? r.fit().w2sqCorrected() : nan,
                ok ? r.fit().w2Fit() : nan, r.w2Sliced(), conditional,
                l == null ? nan : l.w2ConditionalStationary(), l == null ? nan : l.w2Noise(),
                l == null ? nan : l.w2PlusDiscretization(), l == null ? nan : l.w2PlusOptimization(), out.sgdTheta());
    }

    public boolean ok() {
        return status == Status.OK;
    }
}
