package org.w2lab.schedule;

import java.util.Arrays;

/**
 * A VP process through a discrete noise schedule of {@link #TRAINING_STEPS} betas, as diffusers defines its
 * {@code beta_schedule}s (docs/theory.md, section 17): the process whose {@code alpha_t^2} equals the schedule's
 * {@code alphabar_i = prod_{j <= i} (1 - beta_j)} at the training times {@code t_i = i T / 1000}, with {@code B_t}
 * linear between them (a constant {@code beta} on each training step). {@code cosine} is Nichol &amp; Dhariwal's
 * (2021, eq. 17, offset {@code s = 0.008}, each beta clipped at 0.999), {@code scaled_linear} Stable Diffusion's
 * (Rombach et al. 2022: {@code sqrt(beta)} linear from {@code sqrt(0.00085)} to {@code sqrt(0.012)}).
 */
public final class DiscreteBetaSchedule implements VpProcess {
    private static final long serialVersionUID = 1L;

    /** diffusers' {@code num_train_timesteps}. */
    public static final int TRAINING_STEPS = 1000;
    /** Nichol &amp; Dhariwal's offset. */
    public static final double COSINE_OFFSET = 0.008;
    /** diffusers' {@code max_beta} of {@code betas_for_alpha_bar}. */
    public static final double MAX_BETA = 0.999;
    /** Stable Diffusion's {@code beta_start} and {@code beta_end}. */
    public static final double SD_BETA_START = 0.00085;
    public static final double SD_BETA_END = 0.012;

    private final String name;
    private final double horizon;
    /** {@code B} at the training times: {@code b[i] = -sum_{j <= i} log(1 - beta_j) / 2}, {@code b[0] = 0}. */
    private final double[] b;

    private DiscreteBetaSchedule(String name, double[] betas, double horizon) {
        if (!(horizon > 0) || Double.isInfinite(horizon)) {
            throw new IllegalArgumentException("need a finite T > 0; got T=" + horizon);
        }
        this.name = name;
        this.horizon = horizon;
        this.b = new double[betas.length + 1];
        for (int i = 0; i < betas.length; i++) {
            b[i + 1] = b[i] - 0.5 * Math.log1p(-betas[i]);
        }
    }

    /**
     * Nichol &amp; Dhariwal's cosine schedule as diffusers' {@code betas_for_alpha_bar} builds it:
     * {@code beta_i = min(1 - f(i / 1000) / f((i - 1) / 1000), 0.999)}, {@code f(u) = cos((u + s) / (1 + s) pi / 2)^2}.
     */
    public static DiscreteBetaSchedule cosine(double horizon) {
        double[] betas = new double[TRAINING_STEPS];
        for (int i = 0; i < TRAINING_STEPS; i++) {
            double t1 = (double) i / TRAINING_STEPS;
            double t2 = (double) (i + 1) / TRAINING_STEPS;
            betas[i] = Math.min(1 - cosineAlphaBar(t2) / cosineAlphaBar(t1), MAX_BETA);
        }
        return new DiscreteBetaSchedule("cosine", betas, horizon);
    }

    /** {@code f(u) = cos((u + s) / (1 + s) pi / 2)^2}, Nichol &amp; Dhariwal's eq. 17 before normalization. */
    static double cosineAlphaBar(double u) {
        double c = Math.cos((u + COSINE_OFFSET) / (1 + COSINE_OFFSET) * Math.PI / 2);
        return c * c;
    }

    /**
     * Stable Diffusion's schedule ({@code beta_schedule = "scaled_linear"}): {@code beta_i} the squares of 1000 values
     * equally spaced from {@code sqrt(0.00085)} to {@code sqrt(0.012)} (diffusers computes them in float32; here in
     * double).
     */
    public static DiscreteBetaSchedule scaledLinear(double horizon) {
        double[] betas = new double[TRAINING_STEPS];
        double lo = Math.sqrt(SD_BETA_START);
        double hi = Math.sqrt(SD_BETA_END);
        for (int i = 0; i < TRAINING_STEPS; i++) {
            double r = lo + (hi - lo) * i / (TRAINING_STEPS - 1);
            betas[i] = r * r;
        }
        return new DiscreteBetaSchedule("scaled_linear", betas, horizon);
    }

    /** The schedule's name: {@code cosine} or {@code scaled_linear}. */
    public String schedule() {
        return name;
    }

    /** {@code alphabar_i}, the schedule's own cumulative product at training step {@code i} (0: 1). */
    public double alphaBar(int i) {
        return Math.exp(-2 * b[i]);
    }

    @Override
    public double horizon() {
        return horizon;
    }

    /** The training step {@code i} whose interval {@code [t_i, t_{i+1})} holds {@code t} (the last for {@code t >= T}). */
    private int segment(double t) {
        int i = (int) Math.floor(t / horizon * TRAINING_STEPS);
        return Math.max(0, Math.min(i, TRAINING_STEPS - 1));
    }

    /** {@code B_t}, linear between the training times; beyond {@code T} the last step's {@code beta} goes on. */
    @Override
    public double integral(double t) {
        int i = segment(t);
        double dt = horizon / TRAINING_STEPS;
        return b[i] + (b[i + 1] - b[i]) * (t - i * dt) / dt;
    }

    /** {@code beta_t = dB/dt}, constant on each training step. */
    @Override
    public double beta(double t) {
        int i = segment(t);
        return (b[i + 1] - b[i]) * TRAINING_STEPS / horizon;
    }

    /** The time where {@code B_t = log(1 + sigma^2) / 2}: the training step by bisection, then linear within it. */
    @Override
    public double timeOfNoiseLevel(double sigma) {
        if (!(sigma >= 0)) {
            throw new IllegalArgumentException("need a noise level sigma >= 0; got " + sigma);
        }
        double target = 0.5 * Math.log1p(sigma * sigma);
        int k = Arrays.binarySearch(b, target);
        int i = k >= 0 ? Math.min(k, TRAINING_STEPS - 1) : Math.min(-k - 2, TRAINING_STEPS - 1);
        double dt = horizon / TRAINING_STEPS;
        return i * dt + (target - b[i]) / (b[i + 1] - b[i]) * dt;
    }
}
