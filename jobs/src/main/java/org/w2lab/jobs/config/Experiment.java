package org.w2lab.jobs.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.w2lab.sampler.DiscreteScheme;
import org.w2lab.sampler.MultistepScheme;
import org.w2lab.sampler.Schemes;
import org.w2lab.schedule.ForwardProcess;
import org.w2lab.schedule.TimeGrid;
import org.w2lab.score.DataMean;
import org.w2lab.score.NoiseLevelTraining;
import org.w2lab.score.NonCentredMoments;
import org.w2lab.score.SgdStationaryLaw;
import org.w2lab.simulation.ParticleSimulation;
import org.w2lab.spectrum.Spectrum;
import org.w2lab.spectrum.SpectrumFiles;
import org.w2lab.theory.LearnedScorePrediction;

/**
 * A validated experiment: its distinct configurations and the spectra they use, ready for executors. Built on the
 * driver; every problem is reported before Spark starts.
 *
 * @param name    the experiment name
 * @param file    the config file
 * @param tasks   the distinct configurations, in grid order (duplicates by {@code config_id} dropped)
 * @param spectra the file spectra by {@link TaskSpec#spectrumKey()}
 */
public record Experiment(String name, Path file, List<TaskSpec> tasks, Map<String, Spectrum> spectra) {
    /** The distance the mean of a learned denoiser's SGD may be left from its optimum (docs/theory.md, 15.1). */
    private static final double SETTLED = 0.01;
    /**
     * The most pair-steps ({@link LearnedScorePrediction#pairSteps}, about a microsecond each) of a learned-score
     * prediction with a sampler that keeps values between steps: about 100 s.
     */
    private static final double MAX_PAIR_STEPS = 1e8;

    public static final String POWER_LAW = "power_law";

    /**
     * Loads, expands and validates a config.
     *
     * @throws ConfigException listing every problem
     */
    public static Experiment load(Path file, List<String> overrides) {
        return resolve(ConfigLoader.parse(file, overrides));
    }

    static Experiment resolve(RawExperiment raw) {
        Set<String> problems = new LinkedHashSet<>();
        Map<Path, Spectrum> loaded = new HashMap<>();
        Map<String, Spectrum> spectra = new LinkedHashMap<>();
        Map<String, TaskSpec> tasks = new LinkedHashMap<>();
        Path base = raw.file().toAbsolutePath().getParent();
        for (RawExperiment.Point p : raw.points()) {
            TaskSpec t = task(raw.experiment(), p, raw.file().toString(), base, loaded, spectra, problems);
            if (t != null) {
                TaskSpec before = tasks.putIfAbsent(t.configId(), t);
                if (before != null && !Objects.equals(before.seeds(), t.seeds())) {
                    problems.add(at(p, Param.SEEDS, raw.file().toString()) + ": key 'seeds' = " + t.seeds()
                            + ": a grid point with the same parameters has seeds = " + before.seeds()
                            + "; allowed one seed count per configuration");
                }
            }
        }
        if (problems.isEmpty() && tasks.isEmpty()) {
            problems.add(raw.file() + ": the grid is empty");
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(new ArrayList<>(problems));
        }
        return new Experiment(raw.experiment(), raw.file(), List.copyOf(tasks.values()), Map.copyOf(spectra));
    }

    private static Object get(RawExperiment.Point p, Param param) {
        return p.values().getOrDefault(param, param.defaultValue());
    }

    private static String at(RawExperiment.Point p, Param param, String file) {
        return p.where().getOrDefault(param, file + " (default)");
    }

    private static TaskSpec task(String experiment, RawExperiment.Point p, String file, Path base,
                                 Map<Path, Spectrum> loaded, Map<String, Spectrum> spectra, Set<String> problems) {
        int before = problems.size();
        String sampler = (String) get(p, Param.SAMPLER);
        double eps = ((Number) get(p, Param.EPS)).doubleValue();
        double horizon = ((Number) get(p, Param.T)).doubleValue();
        double betaMin = ((Number) get(p, Param.BETA_MIN)).doubleValue();
        double betaMax = ((Number) get(p, Param.BETA_MAX)).doubleValue();
        if (sampler == null) {
            problems.add(file + ": key 'sampler' is not set at a grid point; allowed " + Param.SAMPLER.allowed());
            return null;
        }
        boolean sgdOnly = "sgd".equals(sampler);
        boolean langevin = "ula".equals(sampler) || sgdOnly;
        Set<Param> foreign = java.util.EnumSet.copyOf(langevin ? Param.DIFFUSION : Param.LANGEVIN);
        if (sgdOnly) {
            foreign.addAll(List.of(Param.GAMMA, Param.KERNEL_POINTS, Param.STEPS, Param.PARTICLES));
        }
        if (!langevin && "learned".equals(get(p, Param.SCORE))) {
            foreign.removeAll(Param.LEARNED);
        }
        for (Param key : foreign) {
            if (p.values().containsKey(key)) {
                problems.add(at(p, key, file) + ": key '" + key.key() + "' does not apply to sampler '" + sampler
                        + "'; its keys: " + (sgdOnly ? "sigma, tau, n_train, sgd_steps, batch, sgd_iterate, mu, seeds, "
                        + "basis and the spectrum's" : langevin ? "sigma, gamma, tau, n_train, sgd_steps, batch, "
                        + "sgd_iterate, mu, kernel_points, steps" : "all but "
                        + Param.LANGEVIN.stream().map(Param::key).toList() + ", of which "
                        + Param.LEARNED.stream().map(Param::key).toList() + " with score = learned"));
            }
        }
        boolean learnedScore = !langevin && "learned".equals(get(p, Param.SCORE));
        if (((Number) get(p, Param.SEEDS)).intValue() == 0
                && (!learnedScore || ((Number) get(p, Param.PARTICLES)).intValue() > 0)) {
            problems.add(at(p, Param.SEEDS, file) + ": key 'seeds' = 0: allowed only with score = learned and no "
                    + "particles (the predicted error alone); allowed seeds >= 1");
        }
        if (sgdOnly && ((Number) get(p, Param.SEEDS)).intValue() < 2) {
            problems.add(at(p, Param.SEEDS, file) + ": key 'seeds' = " + get(p, Param.SEEDS) + ": sampler 'sgd' fits "
                    + "a covariance to one iterate per seed; allowed seeds >= 2");
        }
        if (sgdOnly && "average".equals(get(p, Param.SGD_ITERATE))) {
            problems.add(at(p, Param.SGD_ITERATE, file) + ": key 'sgd_iterate' = 'average': sampler 'sgd' compares "
                    + "the last iterate with its predicted stationary law; allowed 'final'");
        }
        if (!(eps < horizon)) {
            problems.add(at(p, Param.EPS, file) + ": key 'eps' = " + eps + ": allowed 0 <= eps < T (T = " + horizon
                    + ")");
        }
        if (betaMin > betaMax) {
            problems.add(at(p, Param.BETA_MIN, file) + ": key 'beta_min' = " + betaMin
                    + ": allowed beta_min <= beta_max (beta_max = " + betaMax + ")");
        }
        Integer steps = null;
        Integer nfe = null;
        boolean continuous = "sde".equals(sampler) || "ode".equals(sampler);
        DiffusionSpec diffusion = langevin ? null : diffusion(p, sampler, continuous, file, problems);
        if (sgdOnly) {
            steps = null;
        } else if (langevin) {
            Object givenSteps = p.values().get(Param.STEPS);
            if (givenSteps == null) {
                problems.add(at(p, Param.SAMPLER, file) + ": sampler 'ula' needs key 'steps' (Langevin steps)");
            } else {
                steps = ((Number) givenSteps).intValue();
                nfe = steps;
            }
        } else if (!continuous) {
            Object givenSteps = p.values().get(Param.STEPS);
            Object givenNfe = p.values().get(Param.NFE);
            if ((givenSteps == null) == (givenNfe == null)) {
                problems.add(at(p, Param.SAMPLER, file) + ": sampler '" + sampler + "' needs exactly one of 'nfe' and "
                        + "'steps'" + (givenSteps == null ? ", neither is set" : ", both are set"));
            } else if (problems.size() == before) {
                ForwardProcess forward = diffusion.forwardProcess(betaMin, betaMax, horizon);
                try {
                    steps = givenSteps != null ? Integer.valueOf(((Number) givenSteps).intValue())
                            : budgetSteps(diffusion, sampler, forward, eps, ((Number) givenNfe).intValue());
                    if (steps == null) {
                        int perStep = diffusion.scheme(sampler, 1).evaluationsPerStep();
                        problems.add(at(p, Param.NFE, file) + ": key 'nfe' = " + givenNfe + ": sampler '" + sampler
                                + "' makes " + perStep + " evaluations per step; allowed nfe >= " + perStep);
                    } else {
                        nfe = diffusion.scheme(sampler, steps).evaluations(diffusion.timeGrid(forward, eps, steps),
                                forward);
                    }
                } catch (IllegalArgumentException e) {
                    problems.add(at(p, Param.GRID, file) + ": key 'grid' = '" + diffusion.grid() + "' with "
                            + (givenSteps != null ? "steps = " + givenSteps : "nfe = " + givenNfe) + ": "
                            + e.getMessage());
                    steps = null;
                }
            }
        }
        String spectrumValue = (String) get(p, Param.SPECTRUM);
        String label;
        String key;
        int d;
        Double zeta;
        if (Experiment.POWER_LAW.equals(spectrumValue)) {
            d = ((Number) get(p, Param.D)).intValue();
            zeta = ((Number) get(p, Param.ZETA)).doubleValue();
            label = Experiment.POWER_LAW;
            key = Experiment.POWER_LAW;
        } else {
            for (Param fixed : new Param[] {Param.D, Param.ZETA}) {
                if (p.values().containsKey(fixed)) {
                    problems.add(at(p, fixed, file) + ": key '" + fixed.key() + "' is set, but spectrum '"
                            + spectrumValue + "' is a file, which sets the dimension and has no exponent");
                }
            }
            Path path = base == null ? Path.of(spectrumValue) : base.resolve(spectrumValue).normalize();
            Spectrum s = loaded.computeIfAbsent(path, x -> {
                try {
                    return SpectrumFiles.load(x);
                } catch (IllegalArgumentException e) {
                    problems.add(at(p, Param.SPECTRUM, file) + ": key 'spectrum' = '" + spectrumValue
                            + "': allowed power_law or a readable spectrum file: " + e.getMessage());
                    return null;
                }
            });
            if (s == null) {
                return null;
            }
            d = s.dimension();
            zeta = null;
            label = path.getFileName().toString();
            key = SpectrumKeys.of(s);
            spectra.putIfAbsent(key, s);
        }
        int particles = ((Number) get(p, Param.PARTICLES)).intValue();
        if (particles == 1) {
            problems.add(at(p, Param.PARTICLES, file) + ": key 'particles' = 1: allowed 0 (theory only) or >= 2 (the "
                    + "sample covariance needs two particles)");
        } else if (langevin && (long) particles * d > Param.MAX_BLOCK) {
            problems.add(at(p, Param.PARTICLES, file) + ": key 'particles' = " + particles + ": with d = " + d
                    + " the ula chains' block holds " + (long) particles * d + " doubles; allowed d * particles <= "
                    + Param.MAX_BLOCK);
        } else if ((long) particles * ParticleSimulation.SLICED_DIRECTIONS > Param.MAX_BLOCK) {
            problems.add(at(p, Param.PARTICLES, file) + ": key 'particles' = " + particles + ": the sliced W2 holds "
                    + ParticleSimulation.SLICED_DIRECTIONS + " projections of every particle; allowed particles <= "
                    + Param.MAX_BLOCK / ParticleSimulation.SLICED_DIRECTIONS);
        }
        boolean dense = langevin || diffusion != null && !continuous && (diffusion.learned() || diffusion.perturbed());
        if (dense && (long) d * d > Param.MAX_BLOCK) {
            problems.add(at(p, Param.SAMPLER, file) + ": sampler '" + sampler + "'" + (langevin ? ""
                    : " with score '" + diffusion.score() + "'") + " and d = " + d + ": it holds d x d matrices ("
                    + (langevin ? "the SGD iterate" : "the score and the full-matrix law") + "), " + (long) d * d
                    + " doubles each (" + String.format(java.util.Locale.ROOT, "%.1f", (double) d * d * 8 / (1 << 30))
                    + " GiB); allowed d <= " + (long) Math.floor(Math.sqrt(Param.MAX_BLOCK)) + " (d^2 <= "
                    + Param.MAX_BLOCK + " doubles, one 1 GiB block)");
        }
        LangevinSpec pipeline = langevin && (long) d * d <= Param.MAX_BLOCK
                ? langevin(p, sgdOnly, file, d, key, zeta, spectra, problems) : null;
        boolean learned = diffusion != null && diffusion.learned() && !continuous;
        if (learned) {
            double sigmaMin = 0;
            if (steps != null) {
                DiscreteScheme scheme = diffusion.scheme(sampler, steps);
                int recordEvery = ((Number) get(p, Param.RECORD_EVERY)).intValue();
                double pairSteps = LearnedScorePrediction.pairSteps(d, steps, recordEvery);
                if (scheme instanceof MultistepScheme m && m.multistep() && pairSteps > MAX_PAIR_STEPS) {
                    problems.add(at(p, Param.SAMPLER, file) + ": sampler '" + sampler + "' with score 'learned', d = "
                            + d + ", " + steps + " steps and record_every = " + recordEvery + ": a sampler that keeps "
                            + "values between steps carries each level's move to the last step, so its prediction "
                            + "costs d (d - 1) / 2 x (3 N + (N + the recorded steps' sum) / 10) = "
                            + String.format(java.util.Locale.ROOT, "%.4g", pairSteps) + " pair-steps (about 1e6 a "
                            + "second; docs/theory.md 16.5); allowed <= "
                            + String.format(java.util.Locale.ROOT, "%.0e", MAX_PAIR_STEPS) + ". The samplers that keep "
                            + "nothing between steps cost d^2 N");
                }
                ForwardProcess forward = diffusion.forwardProcess(betaMin, betaMax, horizon);
                sigmaMin = LearnedScorePrediction.smallestNoiseLevel(scheme, diffusion.timeGrid(forward, eps, steps),
                        forward);
            }
            diffusion = learned(p, diffusion, file, lambda(p, d, key, spectra), sigmaMin, problems);
        }
        if (problems.size() > before) {
            return null;
        }
        if (sgdOnly) {
            return new TaskSpec(experiment, sampler, null, null, 0.0, "normal", label, key, d, zeta,
                    (double) Param.BETA_MIN.defaultValue(), (double) Param.BETA_MAX.defaultValue(),
                    (double) Param.T.defaultValue(), 0, null, null, ((Number) get(p, Param.SEEDS)).intValue(),
                    (String) get(p, Param.BASIS), pipeline, null);
        }
        if (langevin) {
            return new TaskSpec(experiment, sampler, steps, nfe, 0.0, "normal", label, key, d, zeta,
                    (double) Param.BETA_MIN.defaultValue(), (double) Param.BETA_MAX.defaultValue(),
                    (double) Param.T.defaultValue(), 0, null, particles > 0 ? particles : null,
                    particles > 0 ? ((Number) get(p, Param.SEEDS)).intValue() : null, (String) get(p, Param.BASIS),
                    pipeline, null);
        }
        // the continuous processes are exact laws, not algorithms: nothing to simulate; a learned score is each
        // seed's own, so its seeds run (the conditional law, and particles when there are any), unless seeds = 0
        // asks for the predicted error alone
        boolean simulated = (particles > 0 || learned && ((Number) get(p, Param.SEEDS)).intValue() > 0) && !continuous;
        return new TaskSpec(experiment, sampler, steps, nfe, eps, (String) get(p, Param.INIT), label, key, d, zeta,
                betaMin, betaMax, horizon, ((Number) get(p, Param.RECORD_EVERY)).intValue(),
                continuous ? ((Number) get(p, Param.CONTINUOUS_POINTS)).intValue() : null,
                simulated && particles > 0 ? particles : null,
                simulated ? ((Number) get(p, Param.SEEDS)).intValue() : null,
                (String) get(p, Param.BASIS), null, diffusion);
    }

    /**
     * The steps of an NFE budget: the largest {@code N} whose run on the grid makes at most {@code budget} score
     * evaluations ({@link DiscreteScheme#evaluations}, docs/theory.md 12.5: every evaluation counted, the first of
     * each step included, none shared between steps; EDM's last step to noise level 0 makes one). {@code null} when
     * not even one step fits.
     */
    private static Integer budgetSteps(DiffusionSpec diffusion, String sampler, ForwardProcess forward, double eps,
                                       int budget) {
        int steps = budget / diffusion.scheme(sampler, 1).evaluationsPerStep();
        if (steps < 1) {
            return null;
        }
        while (diffusion.scheme(sampler, steps + 1).evaluations(diffusion.timeGrid(forward, eps, steps + 1),
                forward) <= budget) {
            steps++;
        }
        return steps;
    }

    /**
     * The process, grid, churn and score keys of a diffusion sampler: each read only where it applies (the ratio by
     * the exponential grid, rho by the EDM grid, sigma_min and sigma_max by VE and the beta keys by VP, the churn by
     * edm_stochastic, delta by the perturbed score), the samplers derived from the VP SDE kept to VP.
     */
    private static DiffusionSpec diffusion(RawExperiment.Point p, String sampler, boolean continuous, String file,
                                           Set<String> problems) {
        int before = problems.size();
        String grid = (String) get(p, Param.GRID);
        String process = (String) get(p, Param.PROCESS);
        String score = (String) get(p, Param.SCORE);
        boolean ve = "ve".equals(process);
        boolean churn = "edm_stochastic".equals(sampler);
        boolean readsEta = DiffusionSpec.ETA_SAMPLERS.contains(sampler);
        boolean perturbed = "perturbed".equals(score);
        Map<Param, String> readBy = new java.util.EnumMap<>(Param.class);
        if (!TimeGrid.EXPONENTIAL.equals(grid)) {
            readBy.put(Param.RATIO, "grid 'exponential' only; grid is '" + grid + "'");
        }
        if (!TimeGrid.EDM.equals(grid)) {
            readBy.put(Param.RHO, "grid 'edm' only; grid is '" + grid + "'");
        }
        boolean vp = "vp".equals(process);
        boolean flow = "flow".equals(process);
        if (!vp) {
            for (Param k : List.of(Param.BETA_MIN, Param.BETA_MAX, Param.SCHEDULE)) {
                readBy.put(k, "process 'vp' only; process is '" + process + "'");
            }
        }
        if (!ve) {
            for (Param k : List.of(Param.SIGMA_MIN, Param.SIGMA_MAX)) {
                readBy.put(k, "process 've' only; process is '" + process + "'");
            }
        }
        String schedule = vp ? (String) get(p, Param.SCHEDULE) : null;
        boolean linear = "linear".equals(schedule);
        if (vp && !linear) {
            for (Param k : List.of(Param.BETA_MIN, Param.BETA_MAX)) {
                readBy.put(k, "schedule 'linear' only; schedule is '" + schedule + "'");
            }
        }
        if (!churn) {
            for (Param k : Param.CHURN) {
                readBy.put(k, "sampler 'edm_stochastic' only; sampler is '" + sampler + "'");
            }
        }
        if (!readsEta) {
            readBy.put(Param.ETA, "samplers " + DiffusionSpec.ETA_SAMPLERS + " only; sampler is '" + sampler + "'");
        }
        if (!perturbed) {
            readBy.put(Param.DELTA, "score 'perturbed' only; score is '" + score + "'");
        }
        if (continuous) {
            for (Param k : List.of(Param.GRID, Param.SCORE)) {
                readBy.put(k, "the discrete samplers only; sampler '" + sampler + "' is the exact-score continuous "
                        + "process, recorded on a uniform grid of continuous_points");
            }
        }
        for (Map.Entry<Param, String> e : readBy.entrySet()) {
            if (p.values().containsKey(e.getKey())) {
                problems.add(at(p, e.getKey(), file) + ": key '" + e.getKey().key() + "' = "
                        + p.values().get(e.getKey()) + " does not apply: it is read by " + e.getValue());
            }
        }
        if (!vp && ("ei".equals(sampler) || "ddpm".equals(sampler))) {
            problems.add(at(p, Param.PROCESS, file) + ": key 'process' = '" + process + "' with sampler '" + sampler
                    + "': "
                    + ("ei".equals(sampler) ? "the exponential integrator integrates the VP drift -beta/2 y exactly"
                    : "DDPM's ancestral step is the VP posterior with alpha_k = 1 - beta_k")
                    + ", which " + process + " does not have; allowed process 'vp' (or a sampler of any process: em, euler, heun, "
                    + "rk4, dpm_solver_1/2/3, edm_heun, edm_stochastic, ddim, euler_ancestral, dpmpp_2m, dpmpp_2m_sde, "
                    + "dpmpp_3m_sde, lms, unipc)");
        }
        if (flow) {
            double horizon = ((Number) get(p, Param.T)).doubleValue();
            double eps = ((Number) get(p, Param.EPS)).doubleValue();
            if (!(horizon < 1)) {
                problems.add(at(p, Param.T, file) + ": key 'T' = " + horizon + " with process 'flow': allowed "
                        + "0 < T < 1 (e.g. 0.999): at t = 1 the flow's velocity written with the score is 0/0");
            }
            if (!(eps > 0)) {
                problems.add(at(p, Param.EPS, file) + ": key 'eps' = " + eps + " with process 'flow': allowed "
                        + "0 < eps < T (e.g. 1e-3): at t = 0 the flow's rate r_t / D_t = 1 / t is infinite");
            }
        }
        for (Map.Entry<Param, Boolean> required : Map.of(Param.RATIO, TimeGrid.EXPONENTIAL.equals(grid),
                Param.S_CHURN, churn, Param.DELTA, perturbed).entrySet()) {
            if (required.getValue() && !p.values().containsKey(required.getKey())) {
                problems.add(at(p, Param.SAMPLER, file) + ": key '" + required.getKey().key() + "' is required here ("
                        + required.getKey().doc() + "); allowed " + required.getKey().allowed());
            }
        }
        double sigmaMin = ((Number) get(p, Param.SIGMA_MIN)).doubleValue();
        double sigmaMax = ((Number) get(p, Param.SIGMA_MAX)).doubleValue();
        if (ve && !(sigmaMin < sigmaMax)) {
            problems.add(at(p, Param.SIGMA_MIN, file) + ": key 'sigma_min' = " + sigmaMin + ": allowed sigma_min < "
                    + "sigma_max (sigma_max = " + sigmaMax + ")");
        }
        Double sTmax = (Double) get(p, Param.S_TMAX);
        double sTmin = ((Number) get(p, Param.S_TMIN)).doubleValue();
        if (churn && sTmax != null && !(sTmin <= sTmax)) {
            problems.add(at(p, Param.S_TMIN, file) + ": key 's_tmin' = " + sTmin + ": allowed s_tmin <= s_tmax "
                    + "(s_tmax = " + sTmax + ")");
        }
        if (problems.size() > before) {
            return null;
        }
        return new DiffusionSpec(grid, TimeGrid.EXPONENTIAL.equals(grid) ? (Double) get(p, Param.RATIO) : null,
                TimeGrid.EDM.equals(grid) ? ((Number) get(p, Param.RHO)).doubleValue() : null, process,
                vp && !linear ? schedule : null,
                ve ? sigmaMin : null, ve ? sigmaMax : null, churn ? (Double) get(p, Param.S_CHURN) : null,
                churn ? sTmin : null, churn ? sTmax : null, churn ? ((Number) get(p, Param.S_NOISE)).doubleValue()
                : null, !readsEta ? null : p.values().containsKey(Param.ETA)
                ? ((Number) get(p, Param.ETA)).doubleValue() : DiffusionSpec.defaultEta(sampler), score,
                perturbed ? (Double) get(p, Param.DELTA) : null, null, null);
    }

    /**
     * The {@code ula} and {@code sgd} keys, checked against the spectrum: the SGD step below the mean stability
     * bound, the Langevin step below the exact-score stability bound, enough SGD steps for the mean to settle
     * (docs/theory.md, 10.1).
     */
    private static LangevinSpec langevin(RawExperiment.Point p, boolean sgdOnly, String file, int d, String key,
                                         Double zeta, Map<String, Spectrum> spectra, Set<String> problems) {
        int before = problems.size();
        List<Param> required = sgdOnly ? List.of(Param.SIGMA, Param.TAU, Param.N_TRAIN, Param.SGD_STEPS)
                : List.of(Param.SIGMA, Param.GAMMA, Param.TAU, Param.N_TRAIN, Param.SGD_STEPS);
        for (Param r : required) {
            if (!p.values().containsKey(r)) {
                problems.add(at(p, Param.SAMPLER, file) + ": sampler '" + (sgdOnly ? "sgd" : "ula") + "' needs key '"
                        + r.key() + "': " + r.doc());
            }
        }
        if (problems.size() > before) {
            return null;
        }
        double sigma = ((Number) get(p, Param.SIGMA)).doubleValue();
        Double gamma = sgdOnly ? null : ((Number) get(p, Param.GAMMA)).doubleValue();
        double tau = ((Number) get(p, Param.TAU)).doubleValue();
        int sgdSteps = ((Number) get(p, Param.SGD_STEPS)).intValue();
        double[] lambda = lambda(p, d, key, spectra);
        double min = min(lambda);
        double max = max(lambda);
        double s2 = sigma * sigma;
        double mu = ((Number) get(p, Param.MU)).doubleValue();
        if (mu != 0 && d > NonCentredMoments.MAX_D) {
            problems.add(at(p, Param.MU, file) + ": key 'mu' = " + mu + " with d = " + d + ": allowed mu = 0, or "
                    + "d <= " + NonCentredMoments.MAX_D + " (the exact SGD second moments with a mean are a dense "
                    + "solve)");
            return null;
        }
        // with a mean, H_mu's eigenvalues set both the bound and the rates (docs/theory.md, 10.10)
        double[] rates = mu == 0 ? new double[] {min + s2, max + s2, 1}
                : new NonCentredMoments(lambda, DataMean.inEigenbasis(TaskSpec.dataBasis((String) get(p, Param.BASIS),
                TaskSpec.dataKey(key, d, zeta), d), DataMean.vector(d, mu)), sigma).hEigenvalues();
        double meanBound = mu == 0 ? SgdStationaryLaw.meanStabilityBound(max, sigma) : 2 / Arrays.stream(rates).max()
                .orElseThrow();
        if (!(tau < meanBound)) {
            problems.add(at(p, Param.TAU, file) + ": key 'tau' = " + tau + (mu == 0 ? ": allowed tau < 2 / "
                    + "max(lambda_max + sigma^2, 1) = " + meanBound + " (lambda_max = " + max + ", sigma = " + sigma
                    : ": allowed tau < 2 / lambda_max(H_mu) = " + meanBound + " (mu = " + mu + ", lambda_max = " + max
                    + ", sigma = " + sigma) + "): past it the mean of the SGD iterates diverges");
        }
        if (gamma != null && !(gamma < 2 * (min + s2))) {
            problems.add(at(p, Param.GAMMA, file) + ": key 'gamma' = " + gamma + ": allowed gamma < 2 (lambda_min + "
                    + "sigma^2) = " + 2 * (min + s2) + ": past it ULA diverges even with the exact score");
        }
        double slowest = 0;
        for (double h : rates) {
            slowest = Math.max(slowest, Math.abs(1 - tau * h));
        }
        double left = Math.pow(slowest, sgdSteps);
        if (tau < meanBound && left > 0.01) {
            long needed = (long) Math.ceil(Math.log(0.01) / Math.log(slowest));
            problems.add(at(p, Param.SGD_STEPS, file) + ": key 'sgd_steps' = " + sgdSteps + ": too few for the SGD "
                    + "mean to settle, " + left + " of the start is left; allowed sgd_steps >= " + needed
                    + " (tau = " + tau + (mu == 0 ? ", lambda_min + sigma^2 = " + (min + s2)
                    : ", smallest eigenvalue of H_mu = " + Arrays.stream(rates).min().orElseThrow()) + ")");
        }
        if (problems.size() > before) {
            return null;
        }
        return new LangevinSpec(sigma, gamma, tau, ((Number) get(p, Param.N_TRAIN)).intValue(), sgdSteps,
                ((Number) get(p, Param.BATCH)).intValue(), (String) get(p, Param.SGD_ITERATE),
                ((Number) get(p, Param.KERNEL_POINTS)).intValue(), mu);
    }

    /** The eigenvalues of a grid point's spectrum (the power law of its {@code d, zeta}, or the file's). */
    private static double[] lambda(RawExperiment.Point p, int d, String key, Map<String, Spectrum> spectra) {
        return POWER_LAW.equals(key) ? Spectrum.powerLaw(d, ((Number) get(p, Param.ZETA)).doubleValue()).lambda()
                : spectra.get(key).lambda();
    }

    private static double min(double[] lambda) {
        return java.util.Arrays.stream(lambda).min().orElseThrow();
    }

    private static double max(double[] lambda) {
        return java.util.Arrays.stream(lambda).max().orElseThrow();
    }

    /**
     * The keys of {@code score = learned}, checked against the spectrum (docs/theory.md, 15.1): {@code tau} below the
     * bound that keeps the mean of every level's SGD stable, enough SGD steps for the slowest level's mean to settle.
     *
     * @return the diffusion spec with its training, or {@code null} after a problem
     */
    private static DiffusionSpec learned(RawExperiment.Point p, DiffusionSpec diffusion, String file, double[] lambda,
                                         double sigmaMin, Set<String> problems) {
        int before = problems.size();
        for (Param r : List.of(Param.N_TRAIN, Param.TAU, Param.SGD_STEPS)) {
            if (!p.values().containsKey(r)) {
                problems.add(at(p, Param.SCORE, file) + ": score 'learned' needs key '" + r.key() + "': " + r.doc());
            }
        }
        if (problems.size() > before) {
            return null;
        }
        double tau = ((Number) get(p, Param.TAU)).doubleValue();
        int sgdSteps = ((Number) get(p, Param.SGD_STEPS)).intValue();
        double max = max(lambda);
        double min = min(lambda);
        double bound = NoiseLevelTraining.stabilityBound(max);
        if (!(tau < bound)) {
            problems.add(at(p, Param.TAU, file) + ": key 'tau' = " + tau + ": allowed 0 < tau < 2 / max(lambda_max, 1) "
                    + "= " + bound + " (lambda_max = " + max + "): past it the mean of the SGD at small noise levels "
                    + "diverges");
            return null;
        }
        NoiseLevelTraining training = new NoiseLevelTraining(tau, sgdSteps, ((Number) get(p, Param.BATCH)).intValue());
        if ("flow".equals(diffusion.process())) {
            double slowest = 1 - training.slowestVelocityRate(min);
            double left = Math.pow(slowest, sgdSteps);
            if (left > SETTLED) {
                long needed = (long) Math.ceil(Math.log(SETTLED) / Math.log(slowest));
                problems.add(at(p, Param.SGD_STEPS, file) + ": key 'sgd_steps' = " + sgdSteps + ": too few for the SGD "
                        + "mean to settle at every noise level, " + left + " of the start is left; allowed sgd_steps >= "
                        + needed + " (tau = " + tau + ", lambda_min / (1 + lambda_min) = " + min / (1 + min) + ")");
                return null;
            }
        } else {
            // the worst eigenvalue: the largest distance left between A_jj's mean and its optimum at sigma(eps)
            double worst = 0;
            double at = 0;
            long needed = 0;
            for (double l : lambda) {
                double left = training.shortfall(l, sigmaMin);
                if (left > worst) {
                    worst = left;
                    at = l;
                }
                needed = Math.max(needed, training.stepsFor(l, sigmaMin, SETTLED));
            }
            if (worst > SETTLED) {
                problems.add(at(p, Param.SGD_STEPS, file) + ": key 'sgd_steps' = " + sgdSteps + ": too few for the SGD "
                        + "mean to settle at every noise level: the mean of A_jj is left " + worst + " short of its "
                        + "optimum lambda / (lambda + sigma^2) at lambda = " + at + ", sigma = " + sigmaMin + " (the least "
                        + "noisy level the sampler evaluates)"
                        + "; allowed sgd_steps >= " + needed + " (tau = " + tau + ")");
                return null;
            }
        }
        return new DiffusionSpec(diffusion.grid(), diffusion.ratio(), diffusion.rho(), diffusion.process(),
                diffusion.schedule(), diffusion.sigmaMin(), diffusion.sigmaMax(), diffusion.sChurn(), diffusion.sTmin(), diffusion.sTmax(),
                diffusion.sNoise(), diffusion.eta(), diffusion.score(), null, ((Number) get(p, Param.N_TRAIN)).intValue(),
                training);
    }
}
