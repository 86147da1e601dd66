package org.w2lab.jobs.spark;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
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
     * Registers every table present under {@code results} ({@link Tables#ALL}).
     *
     * @param results a local path or any Hadoop file system URI ({@code file:///...}, {@code hdfs://...}, ...)
     * @return the names registered
     * @throws IllegalArgumentException if the folder holds none of the tables
     */
    public static List<String> register(SparkSession spark, String results) {
        List<String> found = new ArrayList<>();
        for (String name : Tables.ALL) {
            Path dir = new Path(results, name);
            if (hasData(dir, spark.sparkContext().hadoopConfiguration())) {
                spark.read().parquet(dir.toString()).createOrReplaceTempView(name);
                found.add(name);
            }
        }
        if (found.isEmpty()) {
            throw new IllegalArgumentException("no w2lab table under " + results + ": expected a folder written by "
                    + "'w2lab run' holding " + Tables.ALL);
        }
        return found;
    }

    private static boolean hasData(Path dir, Configuration hadoop) {
        try {
            FileSystem fs = dir.getFileSystem(hadoop);
            if (!fs.isDirectory(dir)) {
                return false;
            }
            RemoteIterator<LocatedFileStatus> files = fs.listFiles(dir, true);
            while (files.hasNext()) {
                if (files.next().getPath().getName().endsWith(".parquet")) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
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
