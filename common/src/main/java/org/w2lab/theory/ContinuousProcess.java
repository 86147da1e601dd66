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
        public double variance(ForwardProcess schedule, double lambda, double v0, double t) {
            double sT = schedule.variance(lambda, schedule.horizon());
            double st = schedule.variance(lambda, t);
            double ratio = st / sT;
            double damping = schedule.decayRatio(t, schedule.horizon());
            return st + (v0 - sT) * ratio * ratio * damping;
        }
    },
    /** The probability-flow ODE, eq. 5. */
    ODE("ode") {
        @Override
        public double variance(ForwardProcess schedule, double lambda, double v0, double t) {
            return v0 * schedule.variance(lambda, t) / schedule.variance(lambda, schedule.horizon());
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
    public abstract double variance(ForwardProcess schedule, double lambda, double v0, double t);
}
