package org.w2lab.jobs.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.w2lab.jobs.cli.W2lab;
import org.w2lab.jobs.config.Param;
import org.w2lab.jobs.spark.Tables;
import org.w2lab.theory.TheoryResult;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The README is a front page that links guides which exist, and the references are complete: every config key of
 * the code's list in docs/configs.md, every column of every table in docs/tables.md, every command and option of
 * the command line in docs/usage.md. A key, column or option added without its documentation fails here.
 */
class DocsTest {
    private static final Path ROOT = Path.of("..");

    private static String read(String file) throws IOException {
        return Files.readString(ROOT.resolve(file));
    }

    private static List<String> missing(String text, List<String> names) {
        List<String> missing = new ArrayList<>();
        for (String n : names) {
            if (!text.contains("`" + n + "`") && !text.contains("`" + n + " ") && !text.contains("`" + n + "=")) {
                missing.add(n);
            }
        }
        return missing;
    }

    @Test
    void theReadmeIsAFrontPageWhoseLinksExist() throws IOException {
        List<String> lines = Files.readAllLines(ROOT.resolve("README.md"));
        assertTrue(lines.size() <= 200, "README.md has " + lines.size() + " lines");
        List<String> broken = new ArrayList<>();
        for (String page : List.of("README.md", "docs/usage.md", "docs/configs.md", "docs/tables.md",
                "docs/samplers.md", "docs/reproducing.md", "docs/report.md", "docs/cluster.md", "docs/faults.md",
                "docs/performance.md")) {
            Path base = ROOT.resolve(page).getParent();
            Matcher m = Pattern.compile("\\]\\(([^)#]+)(#[^)]*)?\\)").matcher(read(page));
            while (m.find()) {
                String target = m.group(1);
                if (!target.startsWith("http") && !Files.exists(base.resolve(target))) {
                    broken.add(page + " -> " + target);
                }
            }
        }
        assertEquals(List.of(), broken);
    }

    @Test
    void everyConfigKeyIsInTheReference() throws IOException {
        assertEquals(List.of(), missing(read("docs/configs.md"), Param.keys()));
    }

    @Test
    void everyTableAndColumnIsInTheReference() throws IOException {
        String tables = read("docs/tables.md");
        List<String> names = new ArrayList<>(Tables.ALL);
        for (StructType schema : List.of(Tables.SUMMARY_SCHEMA, Tables.RUNS_SCHEMA, Tables.TRAJECTORY_SCHEMA,
                Tables.SPECTRA_SCHEMA, Tables.KERNELS_SCHEMA)) {
            for (StructField f : schema.fields()) {
                names.add(f.name());
            }
        }
        assertEquals(List.of(), missing(tables, names.stream().distinct().toList()));
    }

    /** The values of the {@code status} columns are contracts too. */
    @Test
    void everyStatusIsInTheReference() throws IOException {
        String tables = read("docs/tables.md");
        List<String> missing = new ArrayList<>();
        for (TheoryResult.Status status : TheoryResult.Status.values()) {
            if (!tables.contains("`" + status.id() + "`")) {
                missing.add(status.id());
            }
        }
        assertEquals(List.of(), missing);
    }

    @Test
    void everyCommandAndOptionIsInTheReference() throws IOException {
        String usage = read("docs/usage.md");
        List<String> missing = new ArrayList<>();
        CommandLine cli = new CommandLine(new W2lab());
        for (var sub : cli.getSubcommands().entrySet()) {
            if (!usage.contains("bin/w2lab " + sub.getKey())) {
                missing.add(sub.getKey());
            }
            for (OptionSpec o : sub.getValue().getCommandSpec().options()) {
                if (!o.usageHelp() && !o.versionHelp() && !usage.contains(o.longestName())) {
                    missing.add(sub.getKey() + " " + o.longestName());
                }
            }
        }
        assertEquals(List.of(), missing);
    }
}
