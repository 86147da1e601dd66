package org.w2lab.jobs.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.w2lab.jobs.config.Experiment;
import org.w2lab.jobs.spark.RunJob;
import org.w2lab.jobs.spark.SparkSessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code w2lab run CONFIG}: expands the grid on the driver, computes on the executors, writes Parquet. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run an experiment config and write its rows to the Parquet tables under --out.")
final class RunCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CONFIG", description = "the experiment config file")
    Path config;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "results",
            description = "results folder (default: ${DEFAULT-VALUE}); a local path or any Hadoop file system URI")
    String out;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master (default: the one spark-submit gives, else local[*])")
    String master;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a config key (repeatable)")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "0",
            description = "Spark partitions of the configurations and of the simulated seeds (default: 4 x the "
                    + "default parallelism)")
    int partitions;

    @Override
    public Integer call() {
        Experiment e = ValidateCommand.load(config, overrides);
        if (e == null) {
            return W2lab.USAGE;
        }
        ValidateCommand.reportClipped(e);
        long start = System.nanoTime();
        boolean owned = !SparkSessions.exists();
        SparkSession spark = SparkSessions.create(master);
        try {
            RunJob.Report r = RunJob.run(spark, e, out, partitions);
            System.out.printf("%s: %d configurations, status %s; %d simulated seeds (%d resumed from checkpoints), "
                    + "status %s; %d trajectory rows; written to %s in %.1f s%n", e.name(), r.configurations(),
                    r.statuses(), r.runs(), r.resumed(), r.runStatuses(), r.trajectoryRows(), out,
                    (System.nanoTime() - start) / 1e9);
            String columns = r.runs() > 0 ? "sampler, steps, basis, w2_theory, w2_empirical_mean, w2_empirical_ci95, n_ok"
                    : "sampler, nfe, eps, init, w2_theory, status";
            System.out.printf("try: bin/w2lab query --results %s \"SELECT %s FROM summary WHERE experiment = '%s'\"%n",
                    out, columns, e.name());
            return 0;
        } finally {
            if (owned) {
                spark.stop();
            }
        }
    }
}
