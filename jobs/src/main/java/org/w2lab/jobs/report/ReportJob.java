package org.w2lab.jobs.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.w2lab.jobs.spark.QueryJob;
import org.w2lab.jobs.spark.Tables;

/**
 * The report of a results folder: the figures and tables of every experiment it holds that the report knows
 * ({@link Section#ALL}), as PNG and SVG, the ablation table as HTML, Markdown and LaTeX, and an {@code index.html}
 * showing them all. Experiments it does not hold, or holds without a figure, are listed on the page.
 */
public final class ReportJob {
    static {
        // charts are drawn off screen: no display is needed, or wanted on a cluster's driver
        System.setProperty("java.awt.headless", "true");
    }

    /**
     * What the report holds.
     *
     * @param sections the figures by section heading, for the sections whose experiment is present
     * @param ablation the ablation table, or {@code null} when its experiment is absent
     * @param notes    experiments absent or present without a figure, one sentence each
     */
    public record Report(Map<Section, List<Figure>> sections, AblationTable ablation, List<String> notes) {
        public List<Figure> figures() {
            return sections.values().stream().flatMap(List::stream).toList();
        }
    }

    private ReportJob() {
    }

    /**
     * Reads the tables under {@code results} (a local path or any Hadoop file system URI) and builds every figure
     * (charts in memory, nothing written).
     */
    public static Report build(SparkSession spark, String results) {
        List<String> found = QueryJob.register(spark, results);
        for (Map.Entry<String, org.apache.spark.sql.types.StructType> t : schemas().entrySet()) {
            if (!found.contains(t.getKey())) {
                // an absent table reads as empty, so every figure's query runs and finds no rows
                spark.createDataFrame(List.<Row>of(), t.getValue()).createOrReplaceTempView(t.getKey());
            }
        }
        List<String> experiments = spark.sql("SELECT DISTINCT experiment FROM summary ORDER BY experiment")
                .collectAsList().stream().map(r -> r.getString(0)).toList();
        Map<Section, List<Figure>> sections = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        AblationTable ablation = null;
        for (Section s : Section.ALL) {
            if (!experiments.contains(s.experiment())) {
                notes.add("No experiment " + s.experiment() + " in " + results + ": bin/w2lab run " + s.config()
                        + " --out " + results + " adds " + s.heading() + ".");
                continue;
            }
            List<Figure> figures = s.figures().apply(spark);
            if (s.experiment().equals(AblationTable.EXPERIMENT)) {
                ablation = AblationTable.of(spark);
            } else if (figures.isEmpty()) {
                notes.add("Experiment " + s.experiment() + " has no rows to plot for " + s.heading() + ".");
            }
            sections.put(s, figures);
        }
        for (String e : experiments) {
            if (Section.ALL.stream().noneMatch(s -> s.experiment().equals(e))) {
                notes.add("Experiment " + e + " is in the tables but has no figure in this report; query it with "
                        + "bin/w2lab query.");
            }
        }
        return new Report(sections, ablation, notes);
    }

    /** Writes every figure as PNG and SVG, the tables, and {@code index.html} under {@code out}. */
    public static void write(Report report, Path out) throws IOException {
        Files.createDirectories(out);
        for (Figure f : report.figures()) {
            if (f.chart() instanceof org.knowm.xchart.XYChart xy) {
                Charts.label(xy);
            }
            BitmapEncoder.saveBitmap(f.chart(), out.resolve(f.name() + ".png").toString(),
                    BitmapEncoder.BitmapFormat.PNG);
            VectorGraphicsEncoder.saveVectorGraphic(f.chart(), out.resolve(f.name() + ".svg").toString(),
                    VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        }
        if (report.ablation() != null) {
            write(out.resolve(AblationTable.EXPERIMENT + ".md"), report.ablation().markdown());
            write(out.resolve(AblationTable.EXPERIMENT + ".html"), report.ablation().html());
            write(out.resolve(AblationTable.EXPERIMENT + ".tex"), report.ablation().latex());
        }
        write(out.resolve("index.html"), IndexPage.html(report));
    }

    private static void write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private static Map<String, org.apache.spark.sql.types.StructType> schemas() {
        return Map.of(Tables.SUMMARY, Tables.SUMMARY_SCHEMA, Tables.TRAJECTORIES, Tables.TRAJECTORY_SCHEMA,
                Tables.RUNS, Tables.RUNS_SCHEMA, Tables.SPECTRA, Tables.SPECTRA_SCHEMA, Tables.KERNELS,
                Tables.KERNELS_SCHEMA);
    }
}
