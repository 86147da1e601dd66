package org.w2lab.jobs.cli;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.SparkSession;
import org.w2lab.jobs.spark.QueryJob;
import org.w2lab.jobs.spark.SparkSessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code w2lab query --results DIR SQL}. */
@Command(name = "query", mixinStandardHelpOptions = true,
        description = "Run Spark SQL on the tables of a results folder (views: summary, trajectories, runs, spectra, "
                + "kernels, those the folder holds).")
final class QueryCommand implements Callable<Integer> {
    @Option(names = "--results", paramLabel = "DIR", defaultValue = "results",
            description = "results folder (default: ${DEFAULT-VALUE}); a local path or any Hadoop file system URI")
    String results;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "table, csv or json (one object per line); default: ${DEFAULT-VALUE}")
    QueryJob.Format format;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: local[*])")
    String master;

    @Parameters(index = "0", paramLabel = "SQL", description = "the query")
    String sql;

    @Override
    public Integer call() throws Exception {
        boolean owned = !SparkSessions.exists();
        SparkSession spark = SparkSessions.create(master);
        try {
            List<String> views = QueryJob.register(spark, results);
            try {
                QueryJob.query(spark, sql, format, System.out);
            } catch (Exception e) {
                // Spark's AnalysisException (a Scala exception, so unchecked here): bad SQL, unknown table or column
                if (e instanceof AnalysisException a) {
                    System.err.println("query failed: " + explain(a, views, spark));
                    return W2lab.USAGE;
                }
                throw e;
            }
            return 0;
        } finally {
            if (owned) {
                spark.stop();
            }
        }
    }

    /**
     * Spark's message without the logical plan it appends, on one line, with what to use instead: the views of
     * the results folder for an unknown table, the columns of the views the query names for an unknown column.
     */
    String explain(AnalysisException e, List<String> views, SparkSession spark) {
        String message = e.getMessage();
        int plan = message.indexOf(";\n");
        message = (plan >= 0 ? message.substring(0, plan) : message).replace('\n', ' ').strip();
        String condition = e.getCondition() == null ? "" : e.getCondition();
        if (condition.startsWith("TABLE_OR_VIEW_NOT_FOUND")) {
            return message + ". The views of " + views.size() + " tables here: " + String.join(", ", views);
        }
        if (condition.startsWith("UNRESOLVED_COLUMN")) {
            StringBuilder b = new StringBuilder(message);
            String lower = sql.toLowerCase(Locale.ROOT);
            for (String v : views) {
                if (lower.matches("(?s).*\\b" + v + "\\b.*")) {
                    b.append(". Columns of ").append(v).append(": ")
                            .append(String.join(", ", spark.table(v).columns()));
                }
            }
            return b.toString();
        }
        return message;
    }
}
