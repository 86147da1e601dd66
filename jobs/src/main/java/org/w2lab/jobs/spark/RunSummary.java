package org.w2lab.jobs.spark;

import java.io.PrintStream;
import java.util.Locale;
import org.apache.hadoop.fs.Path;

/** The closing summary of a run: rows per table, statuses, where the tables are, and a query to try. */
public final class RunSummary {
    private RunSummary() {
    }

    /**
     * @param out     the results folder the run wrote
     * @param seconds the run's wall time
     * @param driver  whether it ran on the driver alone ({@link DriverRun})
     */
    public static void print(String experiment, RunJob.Report r, String out, double seconds, boolean driver,
                             PrintStream console) {
        console.printf(Locale.ROOT, "%s: %d configurations, status %s; %d simulated seeds (%d resumed from "
                + "checkpoints), status %s; in %.1f s%s%n", experiment, r.configurations(), r.statuses(), r.runs(),
                r.resumed(), r.runStatuses(), seconds,
                driver ? " on the driver (spectral theory only: no Spark job; --spark to run one)" : "");
        for (String table : Tables.ALL) {
            long rows = r.rows().getOrDefault(table, 0L);
            Path partition = new Path(new Path(out, table), "experiment=" + experiment);
            console.printf(Locale.ROOT, "  %-13s %8d rows  %s%n", table, rows, rows > 0 ? partition : "");
        }
        console.println(r.blas().isEmpty() ? "BLAS: not used" : String.join("\n", r.blas()));
        String columns = r.runs() > 0 ? "sampler, steps, basis, w2_theory, w2_empirical_mean, w2_empirical_ci95, n_ok"
                : "sampler, nfe, eps, init, w2_theory, status";
        console.printf("try: bin/w2lab query --results %s \"SELECT %s FROM summary WHERE experiment = '%s'\"%n", out,
                columns, experiment);
        console.printf("     bin/w2lab report --results %s --out report%n", out);
    }
}
