package org.w2lab.sampler;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The schemes of Pierret &amp; Galerne's study, by their {@code sampler} id. */
public final class Schemes {
    /** Euler-Maruyama on the backward SDE. */
    public static final DiscreteScheme EM = StochasticScheme.em(1);
    /** Exponential integrator on the backward SDE. */
    public static final DiscreteScheme EI = new StochasticScheme("ei", StochasticScheme::exponentialIntegrator);
    /** DDPM ancestral sampling. */
    public static final DiscreteScheme DDPM = new StochasticScheme("ddpm", StochasticScheme::ddpm);

    /**
     * Explicit Euler on the flow ODE, 1 evaluation per step.
     * <pre>
     *   0 |
     *   --+---
     *     | 1
     * </pre>
     */
    public static final DiscreteScheme EULER = new RungeKuttaScheme("euler", 1,
            new double[] {0}, new double[][] {{}}, new double[] {1});

    /**
     * Heun's method (explicit trapezoidal rule) on the flow ODE, 2 evaluations per step.
     * <pre>
     *   0 |
     *   1 | 1
     *   --+---------
     *     | 1/2 1/2
     * </pre>
     */
    public static final DiscreteScheme HEUN = new RungeKuttaScheme("heun", 2,
            new double[] {0, 1}, new double[][] {{}, {1}}, new double[] {0.5, 0.5});

    /**
     * The classical fourth-order Runge-Kutta method on the flow ODE, 4 evaluations per step.
     * <pre>
     *   0   |
     *   1/2 | 1/2
     *   1/2 | 0   1/2
     *   1   | 0   0   1
     *   ----+----------------
     *       | 1/6 1/3 1/3 1/6
     * </pre>
     */
    public static final DiscreteScheme RK4 = new RungeKuttaScheme("rk4", 4,
            new double[] {0, 0.5, 0.5, 1},
            new double[][] {{}, {0.5}, {0, 0.5}, {0, 0, 1}},
            new double[] {1.0 / 6, 1.0 / 3, 1.0 / 3, 1.0 / 6});

    /** Every scheme of Pierret &amp; Galerne's study, SDE schemes first. */
    public static final List<DiscreteScheme> ALL = List.of(EM, EI, DDPM, EULER, HEUN, RK4);

    /** DPM-Solver-1 (Lu et al. 2022), the same step as DDIM; 1 evaluation per step. */
    public static final NoiseLevelScheme DPM_SOLVER_1 =
            new NoiseLevelScheme("dpm_solver_1", NoiseLevelMethod.DPM_SOLVER_1, null);
    /** Singlestep DPM-Solver-2 (Lu et al. 2022, Algorithm 1, {@code r_1 = 1/2}); 2 evaluations per step. */
    public static final NoiseLevelScheme DPM_SOLVER_2 =
            new NoiseLevelScheme("dpm_solver_2", NoiseLevelMethod.DPM_SOLVER_2, null);
    /** Singlestep DPM-Solver-3 (Lu et al. 2022, Algorithm 2, {@code r_1 = 1/3}, {@code r_2 = 2/3}); 3 per step. */
    public static final NoiseLevelScheme DPM_SOLVER_3 =
            new NoiseLevelScheme("dpm_solver_3", NoiseLevelMethod.DPM_SOLVER_3, null);
    /** Karras et al.'s deterministic second-order sampler (2022, Algorithm 1); 2 evaluations per step. */
    public static final NoiseLevelScheme EDM_HEUN = new NoiseLevelScheme("edm_heun", NoiseLevelMethod.EDM_HEUN, null);

    /**
     * The deterministic samplers practitioners use, written in the noise level (docs/theory.md, section 12); the
     * stochastic EDM sampler depends on the number of steps: {@link NoiseLevelScheme#edmStochastic}.
     */
    public static final List<NoiseLevelScheme> NOISE_LEVEL = List.of(DPM_SOLVER_1, DPM_SOLVER_2, DPM_SOLVER_3,
            EDM_HEUN);

    /** Euler ancestral (k-diffusion's {@code sample_euler_ancestral}, {@code eta = 1}): DDIM with {@code eta = 1}. */
    public static final MultistepScheme EULER_ANCESTRAL = MultistepScheme.eulerAncestral(1);
    /** DPM-Solver++(2M) (Lu et al. 2022b), the default of diffusers' pipelines; 1 evaluation per step. */
    public static final MultistepScheme DPMPP_2M = new MultistepScheme("dpmpp_2m", MultistepMethod.DPMPP_2M);
    /** DPM-Solver++(2M) SDE, midpoint form, {@code eta = 1}; 1 evaluation per step. */
    public static final MultistepScheme DPMPP_2M_SDE = MultistepScheme.dpmpp2mSde(1);
    /** DPM-Solver++(3M) SDE, {@code eta = 1}; 1 evaluation per step. */
    public static final MultistepScheme DPMPP_3M_SDE = MultistepScheme.dpmpp3mSde(1);
    /** k-diffusion's linear multistep method, order 4; 1 evaluation per step. */
    public static final MultistepScheme LMS = new MultistepScheme("lms", MultistepMethod.LMS);

    /**
     * The samplers of k-diffusion and diffusers that carry values between steps or add noise (docs/theory.md,
     * section 16); {@code ddim} depends on its {@code eta}: {@link MultistepScheme#ddim}.
     */
    public static final List<MultistepScheme> MULTISTEP = List.of(EULER_ANCESTRAL, DPMPP_2M, DPMPP_2M_SDE,
            DPMPP_3M_SDE, LMS);

    private static final Map<String, DiscreteScheme> BY_ID = java.util.stream.Stream.of(ALL, NOISE_LEVEL, MULTISTEP)
            .flatMap(List::stream).collect(Collectors.toMap(DiscreteScheme::id, Function.identity(), (a, b) -> a,
                    java.util.LinkedHashMap::new));

    private Schemes() {
    }

    /**
     * The scheme of a sampler id at its defaults: not {@code edm_stochastic} (its churn), {@code unipc} (its number of
     * steps) or a sampler at another {@code eta} than its default.
     *
     * @throws IllegalArgumentException if no scheme has that id
     */
    public static DiscreteScheme byId(String id) {
        DiscreteScheme s = BY_ID.get(id);
        if (s == null) {
            throw new IllegalArgumentException("unknown scheme '" + id + "'; allowed: " + BY_ID.keySet());
        }
        return s;
    }
}
