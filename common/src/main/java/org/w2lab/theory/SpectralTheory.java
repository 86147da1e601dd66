package org.w2lab.theory;

import java.util.ArrayList;
import java.util.List;
import org.w2lab.sampler.DiscreteScheme;
import org.w2lab.sampler.ScoreUndefinedException;
import org.w2lab.sampler.SpectralState;
import org.w2lab.schedule.TimeGrid;
import org.w2lab.schedule.ForwardProcess;
import org.w2lab.spectrum.Spectrum;
import org.w2lab.wasserstein.CommutingW2;

/**
 * Exact W2 errors of the VP samplers with the exact score on a spectrum (Pierret &amp; Galerne, section 4): the law
 * of every iterate is {@code N(0, U diag(v) U^T)}, propagated eigenvalue by eigenvalue, and compared with
 * {@code p_{t_k}} along the way and with {@code p_data} at the end. No random numbers.
 */
public final class SpectralTheory {
    private final Spectrum spectrum;
    private final ForwardProcess schedule;

    public SpectralTheory(Spectrum spectrum, ForwardProcess schedule) {
        this.spectrum = spectrum;
        this.schedule = schedule;
    }

    /**
     * The initial variances: {@code sigma_T^2(lambda_i)} for {@code p_T}; for {@code normal} the process's prior
     * variance (1, {@code N(0, I)}, for VP).
     */
    double[] initialVariances(Init init) {
        double[] v0 = new double[spectrum.dimension()];
        if (init == Init.P_T) {
            schedule.variances(spectrum.lambda(), schedule.horizon(), v0);
        } else {
            java.util.Arrays.fill(v0, schedule.priorVariance());
        }
        return v0;
    }

    /**
     * Runs a scheme for {@code steps} uniform steps on {@code [0, T - eps]}.
     *
     * @param recordEvery record {@code W2(law_k, p_{t_k})} at every {@code recordEvery}-th step and at the last
     *                    one; 0 records nothing. A run that breaks down keeps the points recorded before it.
     */
    public TheoryResult discrete(DiscreteScheme scheme, int steps, double eps, Init init, int recordEvery) {
        return discrete(scheme, steps, eps, List.of(init), recordEvery).get(0);
    }

    /**
     * Runs a scheme from several starts at once: the step coefficients are shared, and each start's result has
     * the same bits as {@link #discrete(DiscreteScheme, int, double, Init, int)} gives it alone.
     *
     * @return one result per start, in order
     */
    public List<TheoryResult> discrete(DiscreteScheme scheme, int steps, double eps, List<Init> inits,
                                       int recordEvery) {
        return discrete(scheme, new TimeGrid(schedule.horizon(), eps, steps), inits, recordEvery);
    }

    /**
     * Runs a scheme on any time grid from several starts at once (see
     * {@link #discrete(DiscreteScheme, int, double, List, int)}).
     *
     * @return one result per start, in order
     */
    public List<TheoryResult> discrete(DiscreteScheme scheme, TimeGrid grid, List<Init> inits, int recordEvery) {
        int steps = grid.steps();
        int n = inits.size();
        SpectralState state = new SpectralState(spectrum, schedule,
                inits.stream().map(this::initialVariances).toArray(double[][]::new));
        Recorder[] rec = new Recorder[n];
        for (int m = 0; m < n; m++) {
            rec[m] = new Recorder(steps, recordEvery);
            if (rec[m].wants(0)) {
                // a W2 costs a division and two roots per eigenvalue: only when it is recorded
                rec[m].offer(0, 0, state.w2ToMarginal(m, grid.forward(0)));
            }
        }
        TheoryResult.Status broken = null;
        try {
            // from one recorded step to the next in one run: the law is read only there (DiscreteScheme#steps)
            for (int k = 0; k < steps; ) {
                int next = k + 1;
                while (next < steps && !rec[0].wants(next)) {
                    next++;
                }
                scheme.steps(state, grid, k, next);
                for (int m = 0; m < n && rec[m].wants(next); m++) {
                    rec[m].offer(next, grid.backward(next), state.w2ToMarginal(m, grid.forward(next)));
                }
                k = next;
            }
        } catch (ScoreUndefinedException e) {
            broken = TheoryResult.Status.SCORE_UNDEFINED;
        }
        List<TheoryResult> results = new ArrayList<>(n);
        for (int m = 0; m < n; m++) {
            if (broken != null) {
                results.add(rec[m].result(broken, Double.NaN));
            } else if (!state.isFinite(m)) {
                results.add(rec[m].result(TheoryResult.Status.DIVERGED, Double.NaN));
            } else {
                results.add(rec[m].result(TheoryResult.Status.OK, state.w2ToData(m)));
            }
        }
        return results;
    }

    /**
     * The continuous process stopped at {@code T - eps}; the trajectory is recorded on a uniform grid of
     * {@code points} intervals.
     */
    public TheoryResult continuous(ContinuousProcess process, double eps, Init init, int points) {
        TimeGrid grid = new TimeGrid(schedule.horizon(), eps, points);
        double[] v0 = initialVariances(init);
        double[] lambda = spectrum.lambda();
        double[] sT = new double[v0.length];
        schedule.variances(lambda, schedule.horizon(), sT);
        double[] target = new double[v0.length];
        double[] v = new double[v0.length];
        Recorder rec = new Recorder(points, 1);
        for (int k = 0; k <= points; k++) {
            double t = grid.forward(k);
            // the target p_t is the sigma_t^2 the process's variance is built from
            schedule.variances(lambda, t, target);
            process.variances(schedule, v0, sT, target, t, v);
            rec.offer(k, grid.backward(k), CommutingW2.distance(v, target));
        }
        return rec.result(TheoryResult.Status.OK, CommutingW2.distance(v, spectrum.lambda()));
    }
}
