package org.w2lab.theory;

import org.w2lab.schedule.ForwardProcess;

/**
 * The exact laws of the continuous backward processes with the exact score (Pierret &amp; Galerne, Propositions 2
 * and 3; derived in docs/theory.md, section 2). Started at forward time {@code T} with variance {@code v0} on an
 * eigenvalue {@code lambda}, the variance when the process reaches forward time {@code t} is
 * <ul>
 *   <li>flow ODE: {@code v(t) = v0 sigma_t^2 / sigma_T^2};</li>
 *   <li>backward SDE: {@code v(t) = sigma_t^2 + (v0 - sigma_T^2) (sigma_t^2 / sigma_T^2)^2 (alpha_T / alpha_t)^2},
 *   {@code (alpha_T / alpha_t)^2 = e^{-2 (B_T - B_t)}} for VP and 1 for VE.</li>
 * </ul>
 * Both hold for any {@link ForwardProcess} (docs/theory.md, section 13).
 * From {@code v0 = sigma_T^2} (start at {@code p_T}) both give {@code sigma_t^2}: the marginals are exact.
 */
public enum ContinuousProcess {
    /** The backward SDE, eq. 2. */
    SDE("sde") {
        @Override
        double variance(double v0, double sT, double st, double damping) {
            double ratio = st / sT;
            return st + (v0 - sT) * ratio * ratio * damping;
        }
    },
    /** The probability-flow ODE, eq. 5. */
    ODE("ode") {
        @Override
        double variance(double v0, double sT, double st, double damping) {
            return v0 * st / sT;
        }
    };

    private final String id;

    ContinuousProcess(String id) {
        this.id = id;
    }

    /** The {@code sampler} value of the tables. */
    public String id() {
        return id;
    }

    /**
     * The variance at forward time {@code t} of the process started at time {@code T} with variance {@code v0}, on
     * eigenvalue {@code lambda}.
     */
    public double variance(ForwardProcess schedule, double lambda, double v0, double t) {
        return variance(v0, schedule.variance(lambda, schedule.horizon()), schedule.variance(lambda, t),
                schedule.decayRatio(t, schedule.horizon()));
    }

    /**
     * {@link #variance(ForwardProcess, double, double, double)} for every eigenvalue, with the schedule's
     * quantities at {@code T} and {@code t} given once ({@code sT = sigma_T^2}, {@code st = sigma_t^2} per
     * eigenvalue, from {@link ForwardProcess#variances}): the same bits.
     *
     * @param out receives the variances; may be {@code v0}
     */
    public void variances(ForwardProcess schedule, double[] v0, double[] sT, double[] st, double t, double[] out) {
        double damping = schedule.decayRatio(t, schedule.horizon());
        for (int i = 0; i < v0.length; i++) {
            out[i] = variance(v0[i], sT[i], st[i], damping);
        }
    }

    /**
     * The variance from {@code v0} given {@code sigma_T^2}, {@code sigma_t^2} and {@code (alpha_T / alpha_t)^2}
     * (the class comment).
     */
    abstract double variance(double v0, double sT, double st, double damping);
}
