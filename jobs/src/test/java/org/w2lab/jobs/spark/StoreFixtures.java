package org.w2lab.jobs.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.w2lab.jobs.config.Experiment;

/** An experiment with rows in every table, and what a reader of a results folder sees of it. */
final class StoreFixtures {
    static final String NAME = "store";
    /** Simulated diffusion seeds (summary, runs, trajectories, spectra) and a ula configuration (kernels). */
    static final String CONFIG = "experiment = " + NAME + "\n"
            + "params { d = 4, zeta = 1.0 }\n"
            + "grid = [ { sampler = [em, heun], steps = 8, particles = 200, seeds = 2, record_every = 4 }\n"
            + "  { sampler = ula, sigma = 0.5, gamma = 0.05, tau = 0.01, n_train = 50, sgd_steps = 2000, steps = 20,"
            + " particles = 100, seeds = 2, kernel_points = 3 } ]\n";

    private StoreFixtures() {
    }

    /** A run into {@code out} as {@code w2lab run} makes it, with {@code --replace} when {@code replace}. */
    static RunJob.Report run(SparkSession spark, Experiment e, String out, boolean replace) {
        return RunJob.run(spark, e, ResultsStore.open(spark.sparkContext().hadoopConfiguration(), out, e, replace),
                0);
    }

    static Path config(Path dir) throws IOException {
        return Files.writeString(dir.resolve(NAME + ".conf"), CONFIG);
    }

    static Experiment experiment(Path config, String... overrides) {
        return Experiment.load(config, List.of(overrides));
    }

    /**
     * Every table as {@code query} registers it, each row as a string in sorted order ({@code runs} without its
     * measured {@code elapsed_ms}).
     */
    static Map<String, List<String>> seen(SparkSession spark, Path out) {
        return seenAt(spark, out.toString());
    }

    /** {@link #seen} of a results folder named by a local path or any Hadoop file system URI. */
    static Map<String, List<String>> seenAt(SparkSession spark, String out) {
        spark.catalog().listTables().collectAsList().forEach(t -> spark.catalog().dropTempView(t.name()));
        Map<String, List<String>> tables = new LinkedHashMap<>();
        for (String t : QueryJob.register(spark, out)) {
            tables.put(t, rows(spark.table(t)));
        }
        return tables;
    }

    /** What a plain {@code spark.read.parquet} of each table folder reads. */
    static Map<String, List<String>> plain(SparkSession spark, Path out) {
        Map<String, List<String>> tables = new LinkedHashMap<>();
        for (String t : Tables.ALL) {
            if (Files.isDirectory(out.resolve(t))) {
                tables.put(t, rows(spark.read().parquet(out.resolve(t).toString())));
            }
        }
        return tables;
    }

    private static List<String> rows(Dataset<Row> rows) {
        if (List.of(rows.columns()).contains("elapsed_ms")) {
            rows = rows.drop("elapsed_ms");
        }
        return rows.collectAsList().stream().map(Row::toString).sorted().collect(Collectors.toList());
    }
}
