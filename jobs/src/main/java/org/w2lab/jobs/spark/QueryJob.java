package org.w2lab.jobs.spark;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Registers the tables of a results folder as views of their names and runs SQL on them. */
public final class QueryJob {
    /** Output formats of {@code query}. */
    public enum Format {
        table, csv, json
    }

    private QueryJob() {
    }

    /**
     * Registers every table present under {@code results} ({@link Tables#ALL}) as the commit records say at one
     * moment ({@link ResultsStore.Snapshot}): every table of each experiment's published run, never a mix of two
     * runs. The folders are listed when they are registered; if a run is published meanwhile, they are registered
     * again from the new commit records.
     *
     * @param results a local path or any Hadoop file system URI ({@code file:///...}, {@code hdfs://...}, ...)
     * @return the names registered
     * @throws IllegalArgumentException if the folder holds none of the tables
     */
    public static List<String> register(SparkSession spark, String results) {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        for (int attempt = 1; ; attempt++) {
            ResultsStore.Snapshot snapshot = ResultsStore.Snapshot.of(hadoop, results);
            List<String> found = new ArrayList<>();
            try {
                for (Map.Entry<String, List<Path>> table : snapshot.folders().entrySet()) {
                    read(spark, results, table.getKey(), table.getValue(), snapshot.whole().contains(table.getKey()))
                            .createOrReplaceTempView(table.getKey());
                    found.add(table.getKey());
                }
            } catch (RuntimeException e) {
                // a folder moved by a publication between the snapshot and its listing
                if (attempt == 3 || ResultsStore.Snapshot.of(hadoop, results).commits().equals(snapshot.commits())) {
                    throw e;
                }
                continue;
            }
            if (!ResultsStore.Snapshot.of(hadoop, results).commits().equals(snapshot.commits()) && attempt < 3) {
                continue;
            }
            if (found.isEmpty()) {
                throw new IllegalArgumentException("no w2lab table under " + results + ": expected a folder written "
                        + "by 'w2lab run' holding " + Tables.ALL);
            }
            return found;
        }
    }

    /** A table: its folder whole when it holds just the published rows, else the union of its partitions' folders. */
    private static Dataset<Row> read(SparkSession spark, String results, String table, List<Path> folders,
                                     boolean whole) {
        if (whole) {
            return spark.read().parquet(new Path(results, table).toString());
        }
        Dataset<Row> all = null;
        for (Path folder : folders) {
            Dataset<Row> one = spark.read().option("basePath", folder.getParent().toString())
                    .parquet(folder.toString());
            all = all == null ? one : all.unionByName(one);
        }
        return all;
    }

    /** Runs {@code sql} and prints every row of its result. */
    public static long query(SparkSession spark, String sql, Format format, PrintStream out) {
        Dataset<Row> result = spark.sql(sql);
        if (format == Format.json) {
            List<String> lines = result.toJSON().collectAsList();
            lines.forEach(out::println);
            return lines.size();
        }
        String[] columns = result.columns();
        List<Row> rows = result.collectAsList();
        List<String[]> cells = new ArrayList<>(rows.size());
        for (Row r : rows) {
            String[] c = new String[columns.length];
            for (int i = 0; i < columns.length; i++) {
                c[i] = r.isNullAt(i) ? (format == Format.csv ? "" : "null") : String.valueOf(r.get(i));
            }
            cells.add(c);
        }
        if (format == Format.csv) {
            out.println(csvLine(columns));
            cells.forEach(c -> out.println(csvLine(c)));
        } else {
            printTable(columns, cells, out);
        }
        return rows.size();
    }

    static String csvLine(String[] cells) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                b.append(',');
            }
            String c = cells[i];
            if (c.contains(",") || c.contains("\"") || c.contains("\n")) {
                c = '"' + c.replace("\"", "\"\"") + '"';
            }
            b.append(c);
        }
        return b.toString();
    }

    private static void printTable(String[] columns, List<String[]> cells, PrintStream out) {
        int[] width = new int[columns.length];
        for (int i = 0; i < columns.length; i++) {
            width[i] = columns[i].length();
            for (String[] c : cells) {
                width[i] = Math.max(width[i], c[i].length());
            }
        }
        StringBuilder rule = new StringBuilder("+");
        for (int w : width) {
            rule.append("-".repeat(w + 2)).append('+');
        }
        out.println(rule);
        out.println(tableLine(columns, width));
        out.println(rule);
        cells.forEach(c -> out.println(tableLine(c, width)));
        out.println(rule);
        out.println(cells.size() + (cells.size() == 1 ? " row" : " rows"));
    }

    private static String tableLine(String[] cells, int[] width) {
        StringBuilder b = new StringBuilder("|");
        for (int i = 0; i < cells.length; i++) {
            b.append(' ').append(String.format("%-" + width[i] + "s", cells[i])).append(" |");
        }
        return b.toString();
    }
}
