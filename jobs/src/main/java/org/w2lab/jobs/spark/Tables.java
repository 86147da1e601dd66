package org.w2lab.jobs.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.w2lab.jobs.compute.RunOutput;
import org.w2lab.jobs.compute.SeedSummary;
import org.w2lab.jobs.compute.TaskOutput;
import org.w2lab.jobs.config.TaskSpec;
import org.w2lab.simulation.ParticleSimulation;
import org.w2lab.stats.SeedStatistics;
import org.w2lab.theory.TheoryResult;

/** The Parquet tables and their public columns (README, "Tables"). */
public final class Tables {
    public static final String SUMMARY = "summary";
    public static final String TRAJECTORIES = "trajectories";
    public static final String RUNS = "runs";
    /** The tables a results folder may hold, the names {@code query} registers them under. */
    public static final List<String> ALL = List.of(SUMMARY, TRAJECTORIES, RUNS);

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
        field("beta_min", DataTypes.DoubleType, false),
        field("beta_max", DataTypes.DoubleType, false),
        field("T", DataTypes.DoubleType, false),
        field("record_every", DataTypes.IntegerType, false),
        field("continuous_points", DataTypes.IntegerType, true),
        field("particles", DataTypes.IntegerType, true),
        field("seeds", DataTypes.IntegerType, true),
        field("basis", DataTypes.StringType, false),
        field("w2_empirical_mean", DataTypes.DoubleType, true),
        field("w2_empirical_sd", DataTypes.DoubleType, true),
        field("w2_empirical_ci95", DataTypes.DoubleType, true),
        field("w2_fit_mean", DataTypes.DoubleType, true),
        field("w2_sliced_mean", DataTypes.DoubleType, true),
        field("n_seeds", DataTypes.IntegerType, false),
        field("n_ok", DataTypes.IntegerType, false),
        field("n_diverged", DataTypes.IntegerType, false),
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
        field("w2_sliced", DataTypes.DoubleType, true),
        field("w2_theory_conditional", DataTypes.DoubleType, true),
        field("n_particles", DataTypes.IntegerType, false),
        field("elapsed_ms", DataTypes.LongType, false),
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
        return RowFactory.create(t.experiment(), t.configId(), t.sampler(), t.steps(), t.nfe(), t.eps(), t.init(),
                t.d(), t.spectrum(), ok ? r.w2ToData() : null, r.status().id(), t.zeta(), t.betaMin(), t.betaMax(),
                t.horizon(), t.recordEvery(), t.continuousPoints(), t.particles(), t.seeds(), t.basis(),
                e == null ? null : finite(e.mean()), e == null ? null : finite(e.sd()),
                e == null ? null : finite(e.ci95()), seeds == null ? null : finite(seeds.fitMean()),
                seeds == null ? null : finite(seeds.slicedMean()), seeds == null ? 0 : seeds.nSeeds(),
                seeds == null ? 0 : seeds.nOk(), seeds == null ? 0 : seeds.nDiverged(), version(),
                System.getProperty("java.version"), System.getProperty("os.arch"));
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

    /** A seed's trajectory, beside the theory at the same steps (both record by the same rule). */
    public static List<Row> trajectoryRows(RunOutput out) {
        TaskSpec t = out.seedTask().task();
        ParticleSimulation.Result s = out.simulation();
        TheoryResult r = out.theory();
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
        return RowFactory.create(t.experiment(), t.configId(), out.seedTask().seed(), s.status().id(),
                ok ? s.fit().w2Corrected() : null, ok ? s.fit().w2Fit() : null, ok ? s.fit().biasSquared() : null,
                ok ? s.w2Sliced() : null, r.status() == TheoryResult.Status.OK ? r.w2ToData() : null,
                t.particles(), out.elapsedMs());
    }

    /** A statistic that is not defined (a mean of no seeds, a spread of one) is null, never NaN. */
    private static Double finite(double x) {
        return Double.isFinite(x) ? x : null;
    }
}
