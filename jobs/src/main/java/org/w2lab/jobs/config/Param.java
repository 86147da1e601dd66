package org.w2lab.jobs.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Every parameter a config may set, with its type, allowed values and default. The names are public: they are the
 * config keys and the columns of the {@code summary} table (docs/configs.md).
 */
public enum Param {
    SAMPLER(Type.STRING, null, "sampler: em, ei, ddpm (backward SDE schemes), euler, heun, rk4 (flow ODE schemes), "
            + "dpm_solver_1, dpm_solver_2, dpm_solver_3, edm_heun (the noise-level ODE samplers), edm_stochastic "
            + "(EDM with churn), ddim (with eta), euler_ancestral, dpmpp_2m, dpmpp_2m_sde, dpmpp_3m_sde, lms, unipc (the "
            + "samplers of k-diffusion and diffusers), sde, ode (the continuous processes), ula (Langevin with a score "
            + "learned by SGD), sgd (the SGD iterates alone, against their predicted law)", "em", "ei", "ddpm", "euler",
            "heun", "rk4", "dpm_solver_1", "dpm_solver_2", "dpm_solver_3", "edm_heun", "edm_stochastic", "ddim",
            "euler_ancestral", "dpmpp_2m", "dpmpp_2m_sde", "dpmpp_3m_sde", "lms", "unipc", "sde", "ode", "ula", "sgd"),
    NFE(Type.INT, null, "budget of score evaluations of a discrete sampler; steps = the largest N whose run on the "
            + "grid makes at most nfe evaluations", 1, 10_000_000),
    STEPS(Type.INT, null, "number of integration steps of a discrete sampler (instead of nfe)", 1, 10_000_000),
    EPS(Type.DOUBLE, 0.0, "truncation time: the backward process stops at T - eps; 0 <= eps < T", 0.0, null),
    INIT(Type.STRING, "p_T", "initialization of the backward process: p_T (exact) or normal (N(0, I))", "p_T",
            "normal"),
    SPECTRUM(Type.STRING, "power_law", "data spectrum: power_law, or a .npy/.txt/.csv file of eigenvalues (a path "
            + "relative to the config file)"),
    D(Type.INT, 100, "dimension of a power_law spectrum (a file sets its own); ula, sgd and a learned or perturbed "
            + "score hold d x d matrices: d^2 <= " + Param.MAX_BLOCK, 1, 10_000_000),
    ZETA(Type.DOUBLE, 1.0, "exponent of a power_law spectrum lambda_i = i^(-zeta)", 0.0, 20.0),
    BETA_MIN(Type.DOUBLE, 0.05, "beta at t = 0 of the linear schedule", Double.MIN_NORMAL, 1e4),
    BETA_MAX(Type.DOUBLE, 10.0, "beta at t = T of the linear schedule; beta_min <= beta_max", Double.MIN_NORMAL, 1e4),
    T(Type.DOUBLE, 1.0, "final time of the forward process", Double.MIN_NORMAL, 1e4),
    RECORD_EVERY(Type.INT, 1, "record W2 along the trajectory every k steps (and at the last one); 0: no trajectory",
            0, 10_000_000),
    CONTINUOUS_POINTS(Type.INT, 100, "intervals of the uniform grid on which sde/ode trajectories are recorded",
            1, 1_000_000),
    PARTICLES(Type.INT, 0, "particles M of the simulation of a discrete sampler, per seed; 0: theory only; a "
            + "diffusion seed holds them in chunks of at most 2^23 doubles (d M above it runs chunk after chunk) and "
            + "64 projections of each, so particles <= " + Param.MAX_BLOCK / 64 + "; ula holds one block: d * "
            + "particles <= " + Param.MAX_BLOCK, 0, 10_000_000),
    SEEDS(Type.INT, 8, "independent simulations (seeds 0 .. seeds-1) of a configuration with particles > 0, of "
            + "sgd and of score = learned; 0 only with score = learned and no particles: the predicted error alone",
            0, 100_000),
    BASIS(Type.STRING, "identity", "eigenbasis U of the data covariance in the simulation: identity (elementwise "
            + "updates) or random (a Haar rotation drawn once per spectrum: dense score matrices)", "identity",
            "random"),
    GRID(Type.STRING, "uniform", "time grid of a discrete sampler: uniform, exponential (steps decreasing by the "
            + "ratio), edm (Karras et al.'s rho-schedule of the noise level)", "uniform", "exponential", "edm"),
    RATIO(Type.DOUBLE, null, "exponential grid: ratio r of consecutive steps, 0 < r <= 1", Double.MIN_NORMAL, 1.0),
    RHO(Type.DOUBLE, 7.0, "edm grid: the exponent rho of the noise-level schedule", Double.MIN_NORMAL, 1e3),
    PROCESS(Type.STRING, "vp", "forward process: vp (a beta schedule), ve (sigma_min, sigma_max) or flow (flow "
            + "matching's linear interpolant x_t = (1 - t) x_0 + t z, T < 1, eps > 0)", "vp", "ve", "flow"),
    SCHEDULE(Type.STRING, "linear", "vp: the noise schedule: linear (beta_min, beta_max), cosine (Nichol & Dhariwal, "
            + "offset 0.008, betas clipped at 0.999) or scaled_linear (Stable Diffusion), the last two as diffusers' "
            + "1000 training betas", "linear", "cosine", "scaled_linear"),
    SIGMA_MIN(Type.DOUBLE, 0.01, "ve: sigma_min of Song et al.'s schedule "
            + "sigma(t) = sigma_min (sigma_max / sigma_min)^(t / T)", Double.MIN_NORMAL, 1e4),
    SIGMA_MAX(Type.DOUBLE, 50.0, "ve: noise level at t = T; sigma_min < sigma_max", Double.MIN_NORMAL, 1e4),
    S_CHURN(Type.DOUBLE, null, "edm_stochastic: S_churn, the churn gamma = min(S_churn / N, sqrt 2 - 1)", 0.0,
            1e4),
    S_TMIN(Type.DOUBLE, 0.0, "edm_stochastic: S_tmin, the lowest noise level that is churned", 0.0, 1e6),
    S_TMAX(Type.DOUBLE, null, "edm_stochastic: S_tmax >= S_tmin, the highest noise level that is churned "
            + "(unset: no bound)", 0.0, 1e6),
    S_NOISE(Type.DOUBLE, 1.0, "edm_stochastic: S_noise, the factor of the churn noise's standard deviation",
            Double.MIN_NORMAL, 10.0),
    ETA(Type.DOUBLE, null, "ddim, euler_ancestral, dpmpp_2m_sde, dpmpp_3m_sde, em: eta, the scale of the noise each "
            + "step injects (k-diffusion's eta; em: the SDE with drift (1 + eta) D score and noise 2 eta D); 0: "
            + "deterministic; unset: 0 for ddim (diffusers' default), 1 for the others", 0.0, 1.0),
    SCORE(Type.STRING, "exact", "score of a discrete sampler: exact, perturbed (the exact denoiser plus delta G), or "
            + "learned (a linear denoiser trained by DSM-SGD on n_train samples at every evaluation time)", "exact",
            "perturbed", "learned"),
    DELTA(Type.DOUBLE, null, "perturbed score: delta, the operator norm of the denoiser's error delta G", 0.0, 1e3),

    SIGMA(Type.DOUBLE, null, "ula, sgd: noise level of denoising score matching, Langevin's minimal noise amplitude",
            Double.MIN_NORMAL, 1e3),
    GAMMA(Type.DOUBLE, null, "ula: Langevin step; gamma < 2 (lambda_min + sigma^2)", Double.MIN_NORMAL, 1e3),
    TAU(Type.DOUBLE, null, "ula, sgd: SGD step; tau < 2 / max(lambda_max + sigma^2, 1), with a data mean "
            + "tau < 2 / lambda_max(H_mu); score = learned: the step at vanishing noise, tau / (1 + sigma_t^2) at "
            + "noise level sigma_t; tau < 2 / max(lambda_max, 1)",
            Double.MIN_NORMAL, 1e3),
    N_TRAIN(Type.INT, null, "ula, sgd, score = learned: training samples N", 1, 100_000_000),
    SGD_STEPS(Type.INT, null, "ula, sgd: SGD steps K; enough for the iterates' mean to settle: "
            + "(1 - tau (lambda_min + sigma^2))^K <= 0.01; score = learned: K at every noise level, each diagonal "
            + "entry's mean within 0.01 of its optimum at the least noisy level evaluated", 1, 2_000_000_000),
    BATCH(Type.INT, 1, "ula, sgd, score = learned: samples per SGD step", 1, 1_000_000),
    SGD_ITERATE(Type.STRING, "final", "ula: the learned denoiser: final (the last iterate) or average (the mean of the "
            + "last K/2 iterates); sgd: final only (the law predicted is the last iterate's)", "final", "average"),
    MU(Type.DOUBLE, 0.0, "ula, sgd: the data mean's norm: p_data = N(m, C), m = mu 1_d / sqrt(d) in the data's "
            + "basis; 0: centred data; mu != 0 needs d <= 32 (the exact SGD second moments are a dense solve)",
            -1e6, 1e6),
    KERNEL_POINTS(Type.INT, 0, "ula: the pair kernel of the predicted error on a kernel_points^2 grid of [0, 1]^2 "
            + "(table kernels); 0: none", 0, 10_000);

    /** The keys only {@code ula} and {@code sgd} read ({@code sgd} reads neither gamma nor kernel_points). */
    public static final java.util.Set<Param> LANGEVIN = java.util.EnumSet.of(SIGMA, GAMMA, TAU, N_TRAIN, SGD_STEPS,
            BATCH, SGD_ITERATE, MU, KERNEL_POINTS);
    /** The keys of {@code ula} and {@code sgd} that the diffusion samplers read with {@code score = learned}. */
    public static final java.util.Set<Param> LEARNED = java.util.EnumSet.of(TAU, N_TRAIN, SGD_STEPS, BATCH);
    /** The keys only the diffusion samplers read. */
    public static final java.util.Set<Param> DIFFUSION = java.util.EnumSet.of(NFE, EPS, INIT, BETA_MIN, BETA_MAX, T,
            RECORD_EVERY, CONTINUOUS_POINTS, GRID, RATIO, RHO, PROCESS, SCHEDULE, SIGMA_MIN, SIGMA_MAX, S_CHURN, S_TMIN, S_TMAX,
            S_NOISE, ETA, SCORE, DELTA);
    /** The keys only {@code edm_stochastic} reads. */
    public static final java.util.Set<Param> CHURN = java.util.EnumSet.of(S_CHURN, S_TMIN, S_TMAX, S_NOISE);

    /** The most doubles one particle block may hold (1 GiB). */
    public static final long MAX_BLOCK = 1L << 27;

    /** The value types of parameters. */
    public enum Type {
        INT, DOUBLE, STRING
    }

    private final Type type;
    private final Object defaultValue;
    private final String doc;
    private final Number min;
    private final Number max;
    private final List<String> choices;

    Param(Type type, Object defaultValue, String doc, Number min, Number max) {
        this.type = type;
        this.defaultValue = defaultValue;
        this.doc = doc;
        this.min = min;
        this.max = max;
        this.choices = List.of();
    }

    Param(Type type, Object defaultValue, String doc, String... choices) {
        this.type = type;
        this.defaultValue = defaultValue;
        this.doc = doc;
        this.min = null;
        this.max = null;
        this.choices = List.of(choices);
    }

    /** The config key and column name. */
    public String key() {
        return this == T ? "T" : name().toLowerCase(Locale.ROOT);
    }

    public Type type() {
        return type;
    }

    /** The default, or {@code null} when the parameter has none (it is then unset unless given). */
    public Object defaultValue() {
        return defaultValue;
    }

    public String doc() {
        return doc;
    }

    /** The allowed values of a string parameter with a fixed set of values; empty otherwise. */
    public List<String> choices() {
        return choices;
    }

    /** The allowed range or values, as error messages print it. */
    public String allowed() {
        if (!choices.isEmpty()) {
            return "one of " + choices;
        }
        if (type == Type.STRING) {
            return "a string";
        }
        String kind = type == Type.INT ? "an integer" : "a number";
        if (max == null) {
            return kind + " >= " + min;
        }
        return kind + " in [" + (min.doubleValue() == Double.MIN_NORMAL ? "(0" : min) + ", " + max + "]";
    }

    /**
     * Checks a value's type and range; returns it as {@code Integer}, {@code Double} or {@code String}.
     *
     * @return an error message (without location), or empty if valid
     */
    Optional<String> check(Object value) {
        switch (type) {
            case INT: {
                if (!(value instanceof Integer || value instanceof Long)) {
                    return Optional.of("must be " + allowed() + ", got " + describe(value));
                }
                long v = ((Number) value).longValue();
                if (v < min.longValue() || v > max.longValue()) {
                    return Optional.of("out of range: allowed " + allowed() + ", got " + v);
                }
                return Optional.empty();
            }
            case DOUBLE: {
                if (!(value instanceof Number)) {
                    return Optional.of("must be " + allowed() + ", got " + describe(value));
                }
                double v = ((Number) value).doubleValue();
                if (!Double.isFinite(v) || v < min.doubleValue() || (max != null && v > max.doubleValue())) {
                    return Optional.of("out of range: allowed " + allowed() + ", got " + v);
                }
                return Optional.empty();
            }
            default:
                if (!(value instanceof String)) {
                    return Optional.of("must be " + allowed() + ", got " + describe(value));
                }
                if (!choices.isEmpty() && !choices.contains(value)) {
                    return Optional.of("allowed " + allowed() + ", got '" + value + "'"
                            + DidYouMean.suggest((String) value, choices));
                }
                return Optional.empty();
        }
    }

    private static String describe(Object value) {
        return value instanceof String ? "the string '" + value + "'" : String.valueOf(value);
    }

    /** The parameter of a config key. */
    public static Optional<Param> byKey(String key) {
        return Arrays.stream(values()).filter(p -> p.key().equals(key)).findFirst();
    }

    /** All config keys, in declaration order. */
    public static List<String> keys() {
        return Arrays.stream(values()).map(Param::key).toList();
    }
}
