package org.w2lab.jobs.compute;

import java.io.Serializable;
import org.w2lab.theory.TheoryResult.Status;

/**
 * The few numbers of one seed that its configuration's summary needs (what crosses the shuffle).
 *
 * @param seed        the seed index
 * @param ok          whether the seed's status is {@code ok}
 * @param diverged    whether the seed's status is {@code diverged}
 * @param w2Empirical the bias-corrected Gaussian-fit W2 (NaN unless ok)
 * @param w2Fit       the raw Gaussian-fit W2 (NaN unless ok)
 * @param w2Sliced    the sliced W2 (NaN unless ok)
 */
public record RunMetrics(int seed, boolean ok, boolean diverged, double w2Empirical, double w2Fit, double w2Sliced)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    public static RunMetrics of(RunOutput out) {
        var r = out.simulation();
        boolean ok = r.fit() != null;
        return new RunMetrics(out.seedTask().seed(), ok, r.status() == Status.DIVERGED,
                ok ? r.fit().w2Corrected() : Double.NaN, ok ? r.fit().w2Fit() : Double.NaN, r.w2Sliced());
    }
}
