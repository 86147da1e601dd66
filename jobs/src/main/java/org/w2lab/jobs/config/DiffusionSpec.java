package org.w2lab.jobs.config;

import java.io.Serializable;
import org.w2lab.sampler.DiscreteScheme;
import org.w2lab.sampler.MultistepScheme;
import org.w2lab.sampler.StochasticScheme;
import org.w2lab.sampler.NoiseLevelScheme;
import org.w2lab.sampler.Schemes;
import org.w2lab.schedule.DiscreteBetaSchedule;
import org.w2lab.schedule.FlowProcess;
import org.w2lab.schedule.ForwardProcess;
import org.w2lab.schedule.TimeGrid;
import org.w2lab.schedule.VeSchedule;
import org.w2lab.schedule.VpSchedule;
import org.w2lab.score.NoiseLevelTraining;

/**
 * The process, time grid, churn and score of a diffusion sampler (docs/theory.md, sections 11-14). A parameter that
 * does not apply is {@code null}: {@code ratio} off the exponential grid, {@code rho} off the EDM grid,
 * {@code sigmaMin}/{@code sigmaMax} off VE, the churn off {@code edm_stochastic}, {@code eta} off {@code ddim},
 * {@code delta} off the perturbed
 * score, {@code nTrain} and {@code training} off the learned score.
 *
 * @param grid     {@code uniform}, {@code exponential} or {@code edm}
 * @param ratio    the exponential grid's ratio of consecutive steps
 * @param rho      the EDM grid's exponent
 * @param process  {@code vp}, {@code ve} or {@code flow}
 * @param schedule VP's {@code cosine} or {@code scaled_linear}; {@code null} for the linear schedule and for VE
 * @param sigmaMin VE schedule
 * @param sigmaMax VE schedule
 * @param sChurn   {@code S_churn} of {@code edm_stochastic}
 * @param sTmin    {@code S_tmin}
 * @param sTmax    {@code S_tmax}; {@code null} within {@code edm_stochastic}: no upper bound
 * @param sNoise   {@code S_noise}
 * @param eta      the noise scale {@code eta} of the samplers of {@link #ETA_SAMPLERS}
 * @param score    {@code exact}, {@code perturbed} or {@code learned}
 * @param delta    the size of the denoiser's error of the perturbed score
 * @param nTrain   the training samples {@code N} of the learned score
 * @param training the per-level SGD of the learned score ({@code tau}, {@code sgd_steps}, {@code batch})
 */
public record DiffusionSpec(String grid, Double ratio, Double rho, String process, String schedule, Double sigmaMin,
                            Double sigmaMax,
                            Double sChurn, Double sTmin, Double sTmax, Double sNoise, Double eta, String score,
                            Double delta,
                            Integer nTrain, NoiseLevelTraining training) implements Serializable {
    /** The samplers that read {@code eta}. */
    public static final java.util.List<String> ETA_SAMPLERS = java.util.List.of("ddim", "euler_ancestral",
            "dpmpp_2m_sde", "dpmpp_3m_sde", "em");

    /** {@code eta} when a config leaves it unset: diffusers' 0 for {@code ddim}, k-diffusion's 1 for the others. */
    public static double defaultEta(String sampler) {
        return "ddim".equals(sampler) ? 0 : 1;
    }

    /** The defaults: the uniform grid, VP, the exact score, no churn (every configuration before these keys). */
    public static final DiffusionSpec DEFAULT = new DiffusionSpec(TimeGrid.UNIFORM, null, null, "vp", null, null, null, null,
            null, null, null, null, "exact", null, null, null);

    public boolean perturbed() {
        return "perturbed".equals(score);
    }

    /** Whether the score is learned per evaluation time from a training set, so each seed samples its own law. */
    public boolean learned() {
        return "learned".equals(score);
    }

    /** The forward process; {@code beta_min}, {@code beta_max} apply to VP's linear schedule, {@code T} to all. */
    public ForwardProcess forwardProcess(double betaMin, double betaMax, double horizon) {
        if ("ve".equals(process)) {
            return new VeSchedule(sigmaMin, sigmaMax, horizon);
        }
        if ("flow".equals(process)) {
            return new FlowProcess(horizon);
        }
        if (schedule == null) {
            return new VpSchedule(betaMin, betaMax, horizon);
        }
        return "cosine".equals(schedule) ? DiscreteBetaSchedule.cosine(horizon)
                : DiscreteBetaSchedule.scaledLinear(horizon);
    }

    /** The {@code schedule} column: VP's schedule ({@code linear} when {@link #schedule} is null). */
    public String scheduleId() {
        return schedule == null ? "linear" : schedule;
    }

    /** The time grid of {@code steps} steps on {@code [0, T - eps]}. */
    public TimeGrid timeGrid(ForwardProcess forward, double eps, int steps) {
        return TimeGrid.of(grid, forward, eps, steps, ratio == null ? 1 : ratio, rho == null ? TimeGrid.EDM_RHO : rho);
    }

    /** The scheme of a discrete sampler id, run for {@code steps} steps (the churn depends on them). */
    public DiscreteScheme scheme(String sampler, int steps) {
        if ("edm_stochastic".equals(sampler)) {
            return NoiseLevelScheme.edmStochastic(new NoiseLevelScheme.Churn(sChurn, sTmin,
                    sTmax == null ? Double.POSITIVE_INFINITY : sTmax, sNoise, steps));
        }
        if (eta != null) {
            switch (sampler) {
                case "ddim" -> {
                    return MultistepScheme.ddim(eta);
                }
                case "euler_ancestral" -> {
                    return MultistepScheme.eulerAncestral(eta);
                }
                case "dpmpp_2m_sde" -> {
                    return MultistepScheme.dpmpp2mSde(eta);
                }
                case "dpmpp_3m_sde" -> {
                    return MultistepScheme.dpmpp3mSde(eta);
                }
                case "em" -> {
                    return StochasticScheme.em(eta);
                }
                default -> throw new IllegalArgumentException("sampler '" + sampler + "' reads no eta");
            }
        }
        if ("unipc".equals(sampler)) {
            return MultistepScheme.unipc(steps);
        }
        return Schemes.byId(sampler);
    }

    /**
     * The canonical form (see {@link TaskSpec#canonical()}): only the parameters that differ from
     * {@link #DEFAULT} ({@code eta} from the sampler's default), so that the configurations of before these keys keep
     * their ids.
     */
    String canonical(String sampler) {
        StringBuilder b = new StringBuilder();
        if (!TimeGrid.UNIFORM.equals(grid)) {
            b.append(";grid=").append(grid).append(ratio == null ? "" : ";ratio=" + ratio)
                    .append(rho == null ? "" : ";rho=" + rho);
        }
        if (schedule != null) {
            b.append(";schedule=").append(schedule);
        }
        if ("ve".equals(process)) {
            b.append(";process=").append(process).append(";sigma_min=").append(sigmaMin).append(";sigma_max=")
                    .append(sigmaMax);
        } else if (!"vp".equals(process)) {
            b.append(";process=").append(process);
        }
        if (sChurn != null) {
            b.append(";s_churn=").append(sChurn).append(";s_tmin=").append(sTmin).append(";s_tmax=").append(sTmax)
                    .append(";s_noise=").append(sNoise);
        }
        if (eta != null && eta != defaultEta(sampler)) {
            b.append(";eta=").append(eta);
        }
        if (perturbed()) {
            b.append(";score=").append(score).append(";delta=").append(delta);
        }
        if (learned()) {
            b.append(";score=").append(score).append(";n_train=").append(nTrain).append(";tau=")
                    .append(training.tau()).append(";sgd_steps=").append(training.steps()).append(";batch=")
                    .append(training.batch());
        }
        return b.toString();
    }
}
