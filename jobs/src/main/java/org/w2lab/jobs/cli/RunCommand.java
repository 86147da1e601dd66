package org.w2lab.jobs.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.w2lab.jobs.config.Experiment;
import org.w2lab.jobs.spark.DriverRun;
import org.w2lab.jobs.spark.ResultsStore;
import org.w2lab.jobs.spark.RunJob;
import org.w2lab.jobs.spark.RunProgress;
import org.w2lab.jobs.spark.RunSummary;
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

    @Option(names = "--partitions", paramLabel = "N",
            description = "Spark partitions of the configurations and of the simulated seeds, at least 1 (default: "
                    + "4 x the default parallelism)")
    Integer partitions;

    @Option(names = "--replace",
            description = "replace the experiment's rows in --out even when they are of other configurations "
                    + "(without it such a run is refused before anything is computed)")
    boolean replace;

    @Option(names = "--spark",
            description = "run through Spark even when the run is small enough for the driver alone (spectral "
                    + "theory only, in local mode; docs/performance.md)")
    boolean spark;

    @Override
    public Integer call() {
        Experiment e = ValidateCommand.load(config, overrides);
        if (e == null) {
            return W2lab.USAGE;
        }
        if (partitions != null && partitions < 1) {
            System.err.println("--partitions must be at least 1, not " + partitions + " (leave it out for 4 x the "
                    + "default parallelism)");
            return W2lab.USAGE;
        }
        ValidateCommand.reportClipped(e);
        long start = System.nanoTime();
        boolean owned = !SparkSessions.exists();
        ResultsStore.objectStoreCaveat(out).ifPresent(System.err::println);
        Configuration hadoop = owned ? SparkSessions.hadoopConfiguration()
                : SparkSession.active().sparkContext().hadoopConfiguration();
        ResultsStore store = ResultsStore.open(hadoop, out, e, replace);
        if (owned && !spark && SparkSessions.local(master) && DriverRun.suits(e)) {
            RunJob.Report r = DriverRun.run(e, store, hadoop);
            RunSummary.print(e.name(), r, out, (System.nanoTime() - start) / 1e9, true, System.out);
            return 0;
        }
        SparkSession spark = SparkSessions.create(master);
        try {
            RunJob.Report r;
            // a JVM of its own only: a shared session (a test suite, a notebook) is not ours to end
            try (StoppedSparkGuard guard = owned ? new StoppedSparkGuard(spark.sparkContext()) : null;
                 RunProgress progress = RunProgress.onStderr(spark)) {
                r = RunJob.run(spark, e, store, partitions == null ? 0 : partitions);
            }
            RunSummary.print(e.name(), r, out, (System.nanoTime() - start) / 1e9, false, System.out);
            return 0;
        } finally {
            if (owned) {
                spark.stop();
            }
        }
    }
}
