package org.w2lab.schedule;

import java.util.Arrays;

/**
 * A grid of the backward time {@code 0 = s_0 < s_1 < ... < s_N = T - eps} (models.md), independent of the sampler
 * that runs on it. Step {@code k} goes from {@code s_k} to {@code s_{k+1}}; the forward (noise) time is
 * {@code t_k = T - s_k}, so the law after {@code k} steps is compared with {@code p_{t_k}}. Both ends are exact:
 * {@code t_0 = T} and {@code t_N = eps}. Three families (docs/theory.md, section 11), by their {@code grid} id:
 * {@code uniform}, {@code exponential} (geometrically decreasing steps) and {@code edm} (Karras et al.'s
 * rho-schedule of the noise level).
 */
public final class TimeGrid {
    /** The {@code grid} id of {@link #uniform}. */
    public static final String UNIFORM = "uniform";
    /** The {@code grid} id of {@link #exponential}. */
    public static final String EXPONENTIAL = "exponential";
    /** The {@code grid} id of {@link #edm}. */
    public static final String EDM = "edm";
    /** Karras et al.'s default {@code rho} (section 3, eq. 5 and Table 1). */
    public static final double EDM_RHO = 7;

    private final String id;
    private final double[] backward;
    private final double[] forward;

    private TimeGrid(String id, double[] backward, double[] forward) {
        this.id = id;
        this.backward = backward;
        this.forward = forward;
    }

    /** The uniform grid {@code s_k = k (T - eps) / N}; the same as {@link #uniform}. */
    public TimeGrid(double horizon, double eps, int steps) {
        this(uniform(horizon, eps, steps));
    }

    private TimeGrid(TimeGrid g) {
        this(g.id, g.backward, g.forward);
    }

    private static void check(double horizon, double eps, int steps) {
        if (!(eps >= 0) || !(eps < horizon) || steps < 1 || Double.isInfinite(horizon)) {
            throw new IllegalArgumentException("need 0 <= eps < T (finite) and steps >= 1; got eps=" + eps + ", T="
                    + horizon + ", steps=" + steps);
        }
    }

    /**
     * The uniform grid {@code s_k = k h}, {@code h = (T - eps) / N} (docs/theory.md, section 3).
     *
     * @param horizon {@code T > 0}
     * @param eps     the truncation time, {@code 0 <= eps < T}
     * @param steps   {@code N >= 1}
     */
    public static TimeGrid uniform(double horizon, double eps, int steps) {
        check(horizon, eps, steps);
        double h = (horizon - eps) / steps;
        double[] s = new double[steps + 1];
        double[] t = new double[steps + 1];
        for (int k = 0; k <= steps; k++) {
            s[k] = k * h;
            t[k] = horizon - k * h;
        }
        return new TimeGrid(UNIFORM, ends(s, t, horizon, eps), t);
    }

    /**
     * Exponentially decreasing steps (Hurault et al.'s {@code gamma_k}, docs/theory.md, 11.1):
     * {@code gamma_k = s_{k+1} - s_k = gamma_0 r^k}, {@code gamma_0 = (T - eps) (1 - r) / (1 - r^N)} so that the
     * steps add up to {@code T - eps}; {@code s_k = (T - eps) (1 - r^k) / (1 - r^N)}. The ratio {@code r = 1} is the
     * uniform grid, and {@code r = (eps / T)^(1/N)} the grid {@code t_k = T r^k}, uniform in {@code log t}.
     *
     * @param ratio {@code 0 < r <= 1}, the ratio of consecutive steps
     */
    public static TimeGrid exponential(double horizon, double eps, int steps, double ratio) {
        check(horizon, eps, steps);
        if (!(ratio > 0) || !(ratio <= 1)) {
            throw new IllegalArgumentException("need 0 < ratio <= 1 for the exponential grid; got ratio=" + ratio);
        }
        if (ratio == 1) {
            TimeGrid u = uniform(horizon, eps, steps);
            return new TimeGrid(EXPONENTIAL, u.backward, u.forward);
        }
        // (1 - r^k) / (1 - r^N) with expm1 and log so that r close to 1 keeps its precision
        double logR = Math.log(ratio);
        double denominator = Math.expm1(steps * logR);
        double[] s = new double[steps + 1];
        double[] t = new double[steps + 1];
        for (int k = 0; k <= steps; k++) {
            s[k] = (horizon - eps) * (Math.expm1(k * logR) / denominator);
            t[k] = horizon - s[k];
        }
        return new TimeGrid(EXPONENTIAL, ends(s, t, horizon, eps), t);
    }

    /**
     * Karras et al.'s schedule (2022, eq. 5) on the noise level {@code sigma(t)} of the process
     * ({@link ForwardProcess#noiseLevel}): {@code sigma_k = (sigma_max^(1/rho) + k/N (sigma_min^(1/rho) -
     * sigma_max^(1/rho)))^rho}, {@code k = 0..N}, with {@code sigma_max = sigma(T)} and {@code sigma_min = sigma(eps)},
     * mapped back to {@code t_k = sigma^{-1}(sigma_k)} (docs/theory.md, 11.2). Unlike the paper's grid, which
     * appends {@code sigma_N = 0}, this one ends at the truncation time {@code eps} like every grid here.
     *
     * @param rho {@code rho > 0}; {@link #EDM_RHO} is the paper's choice, 1 is uniform in {@code sigma}
     */
    public static TimeGrid edm(ForwardProcess schedule, double eps, int steps, double rho) {
        double horizon = schedule.horizon();
        check(horizon, eps, steps);
        if (!(rho > 0) || Double.isInfinite(rho)) {
            throw new IllegalArgumentException("need 0 < rho < infinity for the edm grid; got rho=" + rho);
        }
        double top = Math.pow(schedule.noiseLevel(horizon), 1 / rho);
        double bottom = Math.pow(schedule.noiseLevel(eps), 1 / rho);
        double[] s = new double[steps + 1];
        double[] t = new double[steps + 1];
        for (int k = 0; k <= steps; k++) {
            t[k] = schedule.timeOfNoiseLevel(Math.pow(top + (double) k / steps * (bottom - top), rho));
            s[k] = horizon - t[k];
        }
        return new TimeGrid(EDM, ends(s, t, horizon, eps), t);
    }

    /**
     * A grid by its id, for configs: {@code uniform}; {@code exponential} with {@code ratio}; {@code edm} with
     * {@code rho}. The parameter that the grid does not use is ignored.
     *
     * @throws IllegalArgumentException if the id is unknown or a parameter out of range
     */
    public static TimeGrid of(String id, ForwardProcess schedule, double eps, int steps, double ratio, double rho) {
        return switch (id) {
            case UNIFORM -> uniform(schedule.horizon(), eps, steps);
            case EXPONENTIAL -> exponential(schedule.horizon(), eps, steps, ratio);
            case EDM -> edm(schedule, eps, steps, rho);
            default -> throw new IllegalArgumentException("unknown grid '" + id + "'; allowed: " + UNIFORM + ", "
                    + EXPONENTIAL + ", " + EDM);
        };
    }

    /** Sets both ends exactly: {@code s_0 = 0}, {@code t_0 = T}, {@code s_N = T - eps}, {@code t_N = eps}. */
    private static double[] ends(double[] s, double[] t, double horizon, double eps) {
        int n = s.length - 1;
        s[0] = 0;
        t[0] = horizon;
        s[n] = horizon - eps;
        t[n] = eps;
        for (int k = 0; k < n; k++) {
            if (!(t[k + 1] < t[k])) {
                throw new IllegalArgumentException("the grid's times must decrease strictly; got t_" + k + "="
                        + t[k] + ", t_" + (k + 1) + "=" + t[k + 1] + " (too many steps for double precision?)");
            }
        }
        return s;
    }

    /** The {@code grid} id: {@code uniform}, {@code exponential} or {@code edm}. */
    public String id() {
        return id;
    }

    /** {@code N}. */
    public int steps() {
        return forward.length - 1;
    }

    /** The size {@code s_{k+1} - s_k} of step {@code k} in backward time. */
    public double step(int k) {
        return backward[k + 1] - backward[k];
    }

    /** The backward time {@code s_k}. */
    public double backward(int k) {
        return backward[k];
    }

    /** The forward time {@code t_k = T - s_k}; {@code t_0 = T}, {@code t_N = eps} exactly. */
    public double forward(int k) {
        return forward[k];
    }

    /** The forward times {@code t_0..t_N} (a copy). */
    public double[] forwardTimes() {
        return Arrays.copyOf(forward, forward.length);
    }
}
