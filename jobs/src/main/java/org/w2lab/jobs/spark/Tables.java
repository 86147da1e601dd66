package org.w2lab.jobs.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.w2lab.jobs.compute.LangevinTheory;
import org.w2lab.jobs.compute.RunOutput;
import org.w2lab.jobs.compute.SeedSummary;
import org.w2lab.jobs.compute.SgdLawTheory;
import org.w2lab.jobs.compute.TaskOutput;
import org.w2lab.jobs.config.DiffusionSpec;
import org.w2lab.jobs.config.LangevinSpec;
import org.w2lab.jobs.config.TaskSpec;
import org.w2lab.score.IterateFit;
import org.w2lab.score.NoiseLevelTraining;
import org.w2lab.simulation.LangevinPipeline;
import org.w2lab.simulation.ParticleSimulation;
import org.w2lab.stats.SeedStatistics;
import org.w2lab.theory.LangevinPrediction;
import org.w2lab.theory.TheoryResult;

/** The Parquet tables and their public columns (docs/tables.md). */
public final class Tables {
    public static final String SUMMARY = "summary";
    public static final String TRAJECTORIES = "trajectories";
    public static final String RUNS = "runs";
    public static final String SPECTRA = "spectra";
    public static final String KERNELS = "kernels";
    /** The tables a results folder may hold, the names {@code query} registers them under. */
    public static final List<String> ALL = List.of(SUMMARY, TRAJECTORIES, RUNS, SPECTRA, KERNELS);

    public static final StructType SUMMARY_SCHEMA = new StructType(new StructField[] {
        field("experiment", DataTypes.StringType, false),
        field("config_id", DataTypes.StringType, false),
        field("sampler", DataTypes.StringType, false),
        field("steps", DataTypes.IntegerType, true),
        field("nfe", DataTypes.IntegerType, true),
        field("eps", DataTypes.DoubleType, false),
        field("init", DataTypes.StringType, false),
        field("d", DataTypes.IntegerType, false),
        field("spectrum", DataTypes.StringType, false),
        field("w2_theory", DataTypes.DoubleType, true),
        field("status", DataTypes.StringType, false),
        field("zeta", DataTypes.DoubleType, true),
        field("beta_min", DataTypes.DoubleType, true),
        field("beta_max", DataTypes.DoubleType, true),
        field("T", DataTypes.DoubleType, false),
        field("record_every", DataTypes.IntegerType, false),
        field("continuous_points", DataTypes.IntegerType, true),
        field("particles", DataTypes.IntegerType, true),
        field("seeds", DataTypes.IntegerType, true),
        field("basis", DataTypes.StringType, false),
        field("grid", DataTypes.StringType, true),
        field("ratio", DataTypes.DoubleType, true),
        field("rho", DataTypes.DoubleType, true),
        field("process", DataTypes.StringType, true),
        field("schedule", DataTypes.StringType, true),
        field("sigma_min", DataTypes.DoubleType, true),
        field("sigma_max", DataTypes.DoubleType, true),
        field("s_churn", DataTypes.DoubleType, true),
        field("s_tmin", DataTypes.DoubleType, true),
        field("s_tmax", DataTypes.DoubleType, true),
        field("s_noise", DataTypes.DoubleType, true),
        field("eta", DataTypes.DoubleType, true),
        field("score", DataTypes.StringType, true),
        field("delta", DataTypes.DoubleType, true),
        field("w2_empirical_mean", DataTypes.DoubleType, true),
        field("w2_empirical_sd", DataTypes.DoubleType, true),
        field("w2_empirical_ci95", DataTypes.DoubleType, true),
        field("w2sq_empirical_mean", DataTypes.DoubleType, true),
        field("w2sq_empirical_ci95", DataTypes.DoubleType, true),
        field("w2_empirical_lo95", DataTypes.DoubleType, true),
        field("w2_empirical_hi95", DataTypes.DoubleType, true),
        field("below_resolution", DataTypes.BooleanType, true),
        field("w2_fit_mean", DataTypes.DoubleType, true),
        field("w2_sliced_mean", DataTypes.DoubleType, true),
        field("n_seeds", DataTypes.IntegerType, false),
        field("n_ok", DataTypes.IntegerType, false),
        field("n_diverged", DataTypes.IntegerType, false),
        field("sigma", DataTypes.DoubleType, true),
        field("gamma", DataTypes.DoubleType, true),
        field("tau", DataTypes.DoubleType, true),
        field("n_train", DataTypes.IntegerType, true),
        field("sgd_steps", DataTypes.IntegerType, true),
        field("batch", DataTypes.IntegerType, true),
        field("sgd_iterate", DataTypes.StringType, true),
        field("mu", DataTypes.DoubleType, true),
        field("w2_noise_theory", DataTypes.DoubleType, true),
        field("w2_plus_discretization_theory", DataTypes.DoubleType, true),
        field("w2_plus_optimization_predicted", DataTypes.DoubleType, true),
        field("w2_plus_generalization_predicted", DataTypes.DoubleType, true),
        field("w2_predicted_first_order", DataTypes.DoubleType, true),
        field("w2sq_predicted_sampled", DataTypes.DoubleType, true),
        field("w2sq_predicted_sampled_ci95", DataTypes.DoubleType, true),
        field("tau_variance_bound", DataTypes.DoubleType, true),
        field("w2_noise_empirical_mean", DataTypes.DoubleType, true),
        field("w2_plus_discretization_empirical_mean", DataTypes.DoubleType, true),
        field("w2_plus_optimization_empirical_mean", DataTypes.DoubleType, true),
        field("w2_conditional_mean", DataTypes.DoubleType, true),
        field("w2_conditional_ci95", DataTypes.DoubleType, true),
        field("w2sq_conditional_mean", DataTypes.DoubleType, true),
        field("w2sq_conditional_ci95", DataTypes.DoubleType, true),
        field("w2_conditional_stationary_mean", DataTypes.DoubleType, true),
        field("w2sq_conditional_stationary_mean", DataTypes.DoubleType, true),
        field("w2sq_conditional_stationary_ci95", DataTypes.DoubleType, true),
        field("w2_empirical_q1", DataTypes.DoubleType, true),
        field("w2_empirical_median", DataTypes.DoubleType, true),
        field("w2_empirical_q3", DataTypes.DoubleType, true),
        field("n_sgd_diverged", DataTypes.IntegerType, false),
        field("divergence_fraction", DataTypes.DoubleType, true),
        field("divergence_predicted", DataTypes.DoubleType, true),
        field("w2_sgd_law_exact", DataTypes.DoubleType, true),
        field("w2_sgd_law_first_order", DataTypes.DoubleType, true),
        field("w2_sgd_law_perfect_median", DataTypes.DoubleType, true),
        field("w2_sgd_law_perfect_q95", DataTypes.DoubleType, true),
        field("sgd_total_variance_empirical", DataTypes.DoubleType, true),
        field("sgd_total_variance_exact", DataTypes.DoubleType, true),
        field("sgd_total_variance_first_order", DataTypes.DoubleType, true),
        field("w2lab_version", DataTypes.StringType, false),
        field("java_version", DataTypes.StringType, false),
        field("os_arch", DataTypes.StringType, false),
    });

    public static final StructType TRAJECTORY_SCHEMA = new StructType(new StructField[] {
        field("experiment", DataTypes.StringType, false),
        field("config_id", DataTypes.StringType, false),
        field("seed", DataTypes.IntegerType, true),
        field("step", DataTypes.IntegerType, false),
        field("t", DataTypes.DoubleType, false),
        field("w2_theory", DataTypes.DoubleType, true),
        field("w2_empirical", DataTypes.DoubleType, true),
    });

    /** One row per simulated (configuration, seed). Every column but {@code elapsed_ms} is deterministic. */
    public static final StructType RUNS_SCHEMA = new StructType(new StructField[] {
        field("experiment", DataTypes.StringType, false),
        field("config_id", DataTypes.StringType, false),
        field("seed", DataTypes.IntegerType, false),
        field("status", DataTypes.StringType, false),
        field("w2_empirical", DataTypes.DoubleType, true),
        field("w2_fit", DataTypes.DoubleType, true),
        field("fit_bias_sq", DataTypes.DoubleType, true),
        field("w2sq_empirical", DataTypes.DoubleType, true),
        field("w2_sliced", DataTypes.DoubleType, true),
        field("w2_theory_conditional", DataTypes.DoubleType, true),
        field("w2_theory_conditional_stationary", DataTypes.DoubleType, true),
        field("spectral_radius", DataTypes.DoubleType, true),
        field("w2_noise_empirical", DataTypes.DoubleType, true),
        field("w2_plus_discretization_empirical", DataTypes.DoubleType, true),
        field("w2_plus_optimization_empirical", DataTypes.DoubleType, true),
        field("sgd_theta", DataTypes.createArrayType(DataTypes.DoubleType, false), true),
        field("n_particles", DataTypes.IntegerType, true),
        field("elapsed_ms", DataTypes.LongType, false),
    });

    /** The eigenvalues of every spectrum an experiment uses, in decreasing order ({@code i} from 1). */
    public static final StructType SPECTRA_SCHEMA = new StructType(new StructField[] {
        field("experiment", DataTypes.StringType, false),
        field("spectrum", DataTypes.StringType, false),
        field("zeta", DataTypes.DoubleType, true),
        field("d", DataTypes.IntegerType, false),
        field("i", DataTypes.IntegerType, false),
        field("lambda", DataTypes.DoubleType, false),
    });

    /** The pair kernel of the predicted {@code ula} error (docs/theory.md, 10.7) on a grid of {@code [0, 1]^2}. */
    public static final StructType KERNELS_SCHEMA = new StructType(new StructField[] {
        field("experiment", DataTypes.StringType, false),
        field("config_id", DataTypes.StringType, false),
        field("sigma", DataTypes.DoubleType, false),
        field("gamma", DataTypes.DoubleType, false),
        field("tau", DataTypes.DoubleType, false),
        field("n_train", DataTypes.IntegerType, false),
        field("batch", DataTypes.IntegerType, false),
        field("lambda_i", DataTypes.DoubleType, false),
        field("lambda_j", DataTypes.DoubleType, false),
        field("value", DataTypes.DoubleType, false),
        field("value_optimization", DataTypes.DoubleType, false),
        field("value_generalization", DataTypes.DoubleType, false),
    });

    private Tables() {
    }

    private static StructField field(String name, org.apache.spark.sql.types.DataType type, boolean nullable) {
        return DataTypes.createStructField(name, type, nullable);
    }

    /** The code version written in every row: the jar's, or {@code dev} when run from classes. */
    static String version() {
        String v = Tables.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /**
     * @param seeds the configuration's seed summary; {@code null} when it is not simulated
     */
    public static Row summaryRow(TaskOutput out, SeedSummary seeds) {
        TaskSpec t = out.task();
        TheoryResult r = out.result();
        boolean ok = r.status() == TheoryResult.Status.OK;
        SeedStatistics e = seeds == null ? null : seeds.empirical();
        double[] interval = seeds == null ? null : seeds.w2Interval();
        LangevinSpec l = t.langevin();
        DiffusionSpec g = t.diffusion();
        // beta_min and beta_max are the linear VP schedule's
        boolean vp = g == null || "vp".equals(g.process());
        boolean linear = vp && (g == null || g.schedule() == null);
        LangevinTheory theory = out.langevin();
        LangevinPrediction.Stages exact = theory == null ? null : theory.exact();
        SeedSummary ula = l == null || t.sgdOnly() ? null : seeds;
        boolean learned = g != null && g.learned();
        // the seeds' exact laws given their learned scores: ula's chains and the learned diffusion samplers
        SeedSummary conditional = learned ? seeds : ula;
        NoiseLevelTraining training = learned ? g.training() : null;
        // the SGD parameters of ula and sgd, or of the learned score
        Double tau = l != null ? Double.valueOf(l.tau()) : learned ? Double.valueOf(training.tau()) : null;
        Integer nTrain = l != null ? Integer.valueOf(l.nTrain()) : learned ? g.nTrain() : null;
        Integer sgdSteps = l != null ? Integer.valueOf(l.sgdSteps())
                : learned ? Integer.valueOf(training.steps()) : null;
        Integer batch = l != null ? Integer.valueOf(l.batch()) : learned ? Integer.valueOf(training.batch()) : null;
        SgdLawTheory law = out.sgdLaw();
        IterateFit fit = seeds == null ? null : seeds.sgdFit();
        Double varianceBound = theory != null ? Double.valueOf(theory.varianceBound())
                : law != null ? Double.valueOf(law.varianceBound()) : null;
        return RowFactory.create(t.experiment(), t.configId(), t.sampler(), t.steps(), t.nfe(), t.eps(), t.init(),
                t.d(), t.spectrum(), ok ? finite(r.w2ToData()) : null, r.status().id(), t.zeta(),
                linear ? t.betaMin() : null, linear ? t.betaMax() : null, t.horizon(), t.recordEvery(), t.continuousPoints(), t.particles(), t.seeds(),
                t.basis(), g == null ? null : g.grid(), g == null ? null : g.ratio(), g == null ? null : g.rho(),
                g == null ? null : g.process(), g == null || !vp ? null : g.scheduleId(),
                g == null ? null : g.sigmaMin(), g == null ? null : g.sigmaMax(),
                g == null ? null : g.sChurn(), g == null ? null : g.sTmin(), g == null ? null : g.sTmax(),
                g == null ? null : g.sNoise(), g == null ? null : g.eta(), g == null ? null : g.score(), g == null ? null : g.delta(),
                e == null ? null : finite(e.mean()), e == null || seeds.belowResolution() ? null : finite(e.sd()),
                e == null || seeds.belowResolution() ? null : finite(e.ci95()),
                e == null ? null : finite(seeds.empiricalSquared().mean()),
                e == null ? null : finite(seeds.empiricalSquared().ci95()),
                interval == null ? null : interval[0], interval == null ? null : interval[1],
                e == null || !Double.isFinite(seeds.empiricalSquared().mean()) ? null : seeds.belowResolution(),
                seeds == null ? null : finite(seeds.fitMean()),
                seeds == null ? null : finite(seeds.slicedMean()), seeds == null ? 0 : seeds.nSeeds(),
                seeds == null ? 0 : seeds.nOk(), seeds == null ? 0 : seeds.nDiverged(), l == null ? null : l.sigma(),
                l == null ? null : l.gamma(), tau, nTrain, sgdSteps, batch, l == null ? null : l.iterate(),
                l == null ? null : l.mu(),
                exact == null ? null : root(exact.noise()), exact == null ? null : root(exact.discretization()),
                exact == null ? null : root(exact.optimization()), exact == null ? null : root(exact.generalization()),
                theory == null ? null : root(theory.firstOrder().generalization()),
                theory == null || theory.sampled() == null ? null : finite(theory.sampled().w2sq()),
                theory == null || theory.sampled() == null ? null : finite(theory.sampled().ci95()), varianceBound,
                ula == null ? null : finite(ula.noiseMean()), ula == null ? null : finite(ula.discretizationMean()),
                ula == null ? null : finite(ula.optimizationMean()),
                conditional == null ? null : finite(conditional.conditional().mean()),
                conditional == null ? null : finite(conditional.conditional().ci95()),
                conditional == null ? null : finite(conditional.conditionalSquared().mean()),
                conditional == null ? null : finite(conditional.conditionalSquared().ci95()),
                ula == null ? null : finite(ula.stationary().mean()),
                ula == null ? null : finite(ula.stationarySquared().mean()),
                ula == null ? null : finite(ula.stationarySquared().ci95()),
                ula == null ? null : finite(ula.quartiles()[0]), ula == null ? null : finite(ula.quartiles()[1]),
                ula == null ? null : finite(ula.quartiles()[2]), seeds == null ? 0 : seeds.nSgdDiverged(),
                ula == null ? null : finite(ula.divergenceFraction()),
                theory == null ? null : finite(theory.divergencePredicted()),
                fit == null || law.exact() == null ? null : finite(fit.w2To(law.exact())),
                fit == null ? null : finite(fit.w2To(law.firstOrder())),
                law == null ? null : finite(law.perfectMedian()), law == null ? null : finite(law.perfectQ95()),
                fit == null ? null : finite(fit.totalVariance()),
                law == null || law.exact() == null ? null : law.exact().totalVariance(),
                law == null ? null : law.firstOrder().totalVariance(), version(),
                System.getProperty("java.version"), System.getProperty("os.arch"));
    }

    /** The square root of a predicted {@code E W2^2}: the error on the W2 scale. */
    private static Double root(double w2sq) {
        return finite(Math.sqrt(w2sq));
    }

    /** One row per eigenvalue of a spectrum. */
    public static List<Row> spectrumRows(String experiment, TaskSpec t, double[] lambda) {
        List<Row> rows = new ArrayList<>(lambda.length);
        for (int i = 0; i < lambda.length; i++) {
            rows.add(RowFactory.create(experiment, t.spectrum(), t.zeta(), t.d(), i + 1, lambda[i]));
        }
        return rows;
    }

    /** The kernel grid of a {@code ula} configuration; none for the others. */
    public static List<Row> kernelRows(TaskOutput out) {
        TaskSpec t = out.task();
        if (out.langevin() == null) {
            return List.of();
        }
        LangevinSpec l = t.langevin();
        List<Row> rows = new ArrayList<>();
        for (double[] k : out.langevin().kernel()) {
            rows.add(RowFactory.create(t.experiment(), t.configId(), l.sigma(), l.gamma(), l.tau(), l.nTrain(),
                    l.batch(), k[0], k[1], k[2] + k[3], k[2], k[3]));
        }
        return rows;
    }

    /** The theory's trajectory: {@code seed} and {@code w2_empirical} null. */
    public static List<Row> trajectoryRows(TaskOutput out) {
        TaskSpec t = out.task();
        TheoryResult r = out.result();
        List<Row> rows = new ArrayList<>(r.steps().length);
        for (int i = 0; i < r.steps().length; i++) {
            rows.add(RowFactory.create(t.experiment(), t.configId(), null, r.steps()[i], r.times()[i],
                    r.w2ToMarginal()[i], null));
        }
        return rows;
    }

    /**
     * A seed's trajectory, beside the theory at the same steps (both record by the same rule); a seed without
     * particles (a learned score with {@code particles = 0}) has its theory's steps with {@code w2_empirical} null.
     */
    public static List<Row> trajectoryRows(RunOutput out) {
        TaskSpec t = out.seedTask().task();
        ParticleSimulation.Result s = out.simulation();
        TheoryResult r = out.theory();
        if (t.particles() == null) {
            List<Row> rows = new ArrayList<>(r.steps().length);
            for (int i = 0; i < r.steps().length; i++) {
                rows.add(RowFactory.create(t.experiment(), t.configId(), out.seedTask().seed(), r.steps()[i],
                        r.times()[i], r.w2ToMarginal()[i], null));
            }
            return rows;
        }
        List<Row> rows = new ArrayList<>(s.steps().length);
        for (int i = 0; i < s.steps().length; i++) {
            Double theory = i < r.steps().length && r.steps()[i] == s.steps()[i] ? r.w2ToMarginal()[i] : null;
            rows.add(RowFactory.create(t.experiment(), t.configId(), out.seedTask().seed(), s.steps()[i],
                    s.times()[i], theory, s.w2Trajectory()[i]));
        }
        return rows;
    }

    public static Row runRow(RunOutput out) {
        TaskSpec t = out.seedTask().task();
        ParticleSimulation.Result s = out.simulation();
        TheoryResult r = out.theory();
        boolean ok = s.fit() != null;
        LangevinPipeline.Result l = out.langevin();
        return RowFactory.create(t.experiment(), t.configId(), out.seedTask().seed(), s.status().id(),
                ok ? s.fit().w2Corrected() : null, ok ? s.fit().w2Fit() : null, ok ? s.fit().biasSquared() : null,
                ok ? s.fit().w2sqCorrected() : null,
                ok ? s.w2Sliced() : null, r.status() == TheoryResult.Status.OK ? r.w2ToData() : null,
                l == null ? null : finite(l.w2ConditionalStationary()), l == null ? null : finite(l.spectralRadius()),
                l == null ? null : finite(l.w2Noise()), l == null ? null : finite(l.w2PlusDiscretization()),
                l == null ? null : finite(l.w2PlusOptimization()), out.sgdTheta(), t.particles(), out.elapsedMs());
    }

    /** A statistic that is not defined (a mean of no seeds, a spread of one) is null, never NaN. */
    private static Double finite(double x) {
        return Double.isFinite(x) ? x : null;
    }
}
