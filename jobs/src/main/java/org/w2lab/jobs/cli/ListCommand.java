package org.w2lab.jobs.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.w2lab.jobs.spark.ResultsStore;
import org.w2lab.jobs.spark.SparkSessions;
import org.w2lab.jobs.spark.Tables;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code w2lab list [--results DIR]}: the experiments a results folder holds, from their commit records. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List the experiments of a results folder: when each was written, its configurations, rows "
                + "per table and statuses; reads the commit records only, starts no Spark.")
final class ListCommand implements Callable<Integer> {
    @Option(names = "--results", paramLabel = "DIR", defaultValue = "results",
            description = "results folder (default: ${DEFAULT-VALUE}); a local path or any Hadoop file system URI")
    String results;

    @Override
    public Integer call() {
        Map<String, ResultsStore.Commit> experiments;
        try {
            experiments = ResultsStore.experiments(SparkSessions.hadoopConfiguration(), results);
        } catch (IllegalArgumentException e) {
            System.err.println("w2lab: " + e.getMessage());
            return W2lab.USAGE;
        }
        List<String> header = new ArrayList<>(List.of("experiment", "written", "configurations"));
        header.addAll(Tables.ALL);
        header.add("status");
        header.add("runs status");
        List<List<String>> rows = new ArrayList<>();
        experiments.forEach((name, c) -> {
            List<String> row = new ArrayList<>(List.of(name));
            if (c == null) {
                row.add("(no record: written by an earlier w2lab)");
                for (int i = 0; i < Tables.ALL.size() + 3; i++) {
                    row.add("");
                }
            } else {
                row.add(c.written());
                row.add(Integer.toString(c.configurations()));
                Tables.ALL.forEach(t -> row.add(Long.toString(c.rows(t))));
                row.add(c.statuses().getOrDefault(Tables.SUMMARY, ""));
                row.add(c.statuses().getOrDefault(Tables.RUNS, ""));
            }
            rows.add(row);
        });
        if (rows.isEmpty()) {
            System.out.println("no experiment in " + results);
            return 0;
        }
        int[] width = new int[header.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = header.get(i).length();
            for (List<String> r : rows) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        }
        print(header, width);
        rows.forEach(r -> print(r, width));
        return 0;
    }

    private static void print(List<String> cells, int[] width) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            b.append(String.format("%-" + width[i] + "s", cells.get(i))).append(i + 1 < cells.size() ? "  " : "");
        }
        System.out.println(b.toString().stripTrailing());
    }
}
