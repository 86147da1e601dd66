package org.w2lab.jobs.cli;

import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.w2lab.jobs.spark.QueryJob;
import org.w2lab.jobs.spark.SparkSessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code w2lab query --results DIR SQL}. */
@Command(name = "query", mixinStandardHelpOptions = true,
        description = "Run Spark SQL on the tables of a results folder (views: summary, trajectories).")
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
            QueryJob.register(spark, results);
            QueryJob.query(spark, sql, format, System.out);
            return 0;
        } catch (Exception e) {
            // Spark's AnalysisException (a Scala exception, so unchecked here): bad SQL, unknown table or column
            if (e instanceof org.apache.spark.sql.AnalysisException) {
                System.err.println("query failed: " + e.getMessage());
                return W2lab.USAGE;
            }
            throw e;
        } finally {
            if (owned) {
                spark.stop();
            }
        }
    }
}
