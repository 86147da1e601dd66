package org.w2lab.jobs.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.w2lab.jobs.report.ReportJob;
import org.w2lab.jobs.spark.SparkSessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code w2lab report --results DIR --out DIR}. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Draw the figures and tables of the experiments a results folder holds (PNG, SVG, HTML, "
                + "Markdown, LaTeX) and an index.html showing them.")
final class ReportCommand implements Callable<Integer> {
    @Option(names = "--results", paramLabel = "DIR", defaultValue = "results",
            description = "results folder written by 'run' (default: ${DEFAULT-VALUE}); a local path or any Hadoop "
                    + "file system URI")
    String results;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "report",
            description = "where the figures and index.html go (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: local[*])")
    String master;

    @Override
    public Integer call() throws Exception {
        boolean owned = !SparkSessions.exists();
        SparkSession spark = SparkSessions.create(master);
        try {
            ReportJob.Report report = ReportJob.build(spark, results);
            ReportJob.write(report, out);
            report.notes().forEach(n -> System.err.println("report: " + n));
            int n = report.figures().size();
            System.out.printf("%d figure%s%s written to %s; open %s%n", n, n == 1 ? "" : "s",
                    report.ablation() != null ? " and the ablation table" : "", out, out.resolve("index.html"));
            return 0;
        } finally {
            if (owned) {
                spark.stop();
            }
        }
    }
}
