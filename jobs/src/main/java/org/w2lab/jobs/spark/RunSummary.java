package org.w2lab.jobs.spark;

import java.io.PrintStream;
import java.util.Locale;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/** The closing summary of a run: rows per table, statuses, where the tables are, and a query to try. */
public final class RunSummary {
    private RunSummary() {
    }

    /**
     * @param out     the results folder the run wrote
     * @param seconds the run's wall time
     */
    public static void print(SparkSession spark, String experiment, RunJob.Report r, String out, double seconds,
                             PrintStream console) {
        console.printf(Locale.ROOT, "%s: %d configurations, status %s; %d simulated seeds (%d resumed from "
                + "checkpoints), status %s; in %.1f s%n", experiment, r.configurations(), r.statuses(), r.runs(),
                r.resumed(), r.runStatuses(), seconds);
        for (String table : Tables.ALL) {
            Path partition = new Path(new Path(out, table), "experiment=" + experiment);
            long rows = exists(spark, partition) ? spark.read().parquet(partition.toString()).count() : 0;
            console.printf(Locale.ROOT, "  %-13s %8d rows  %s%n", table, rows, rows > 0 ? partition : "");
        }
        String columns = r.runs() > 0 ? "sampler, steps, basis, w2_theory, w2_empirical_mean, w2_empirical_ci95, n_ok"
                : "sampler, nfe, eps, init, w2_theory, status";
        console.printf("try: bin/w2lab query --results %s \"SELECT %s FROM summary WHERE experiment = '%s'\"%n", out,
                columns, experiment);
        console.printf("     bin/w2lab report --results %s --out report%n", out);
    }

    private static boolean exists(SparkSession spark, Path partition) {
        try {
            FileSystem fs = partition.getFileSystem(spark.sparkContext().hadoopConfiguration());
            return fs.exists(partition);
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
