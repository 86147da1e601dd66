package org.w2lab.jobs.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w2lab.jobs.config.Experiment;
import org.w2lab.jobs.spark.RunJob;
import org.w2lab.jobs.spark.SharedSpark;

/** The report of a results folder written by the shipped configs (made small, {@link SmallResults}). */
class ReportJobTest {
    @TempDir
    Path dir;

    private static ReportJob.Report small;

    /** The report of the small results folder, built once. */
    private static synchronized ReportJob.Report small() {
        if (small == null) {
            small = ReportJob.build(SharedSpark.session(), SmallResults.folder().toString());
        }
        return small;
    }

    /**
     * The figures each experiment must give, with their series: one per sampler or family member, plus the
     * reference lines and the confidence bands each figure draws.
     */
    private static Map<String, Integer> expectedSeries() {
        Map<String, Integer> expected = new TreeMap<>();
        // six schemes and the continuous SDE and ODE, per init
        expected.put("quickstart_nfe_p_T", 8);
        expected.put("quickstart_nfe_normal", 8);
        // six schemes and the continuous SDE and ODE
        expected.put("pierret_figure1_trajectory", 8);
        expected.put("pierret_figure1_eps", 8);
        // eighteen samplers and the diagonal
        expected.put("verify_samplers", 19);
        // eighteen samplers and the lines at +-1 half width
        expected.put("verify_samplers_deviation", 20);
        // eighteen samplers, each at its best grid and schedule, per score (exact, each delta) and per learned N and
        // tau (the five multistep ones at budgets 10 and 20 on the EDM grid)
        for (String score : List.of("exact", "delta0.01", "delta0.05", "delta0.2")) {
            expected.put("sampler_shootout_" + score, 18);
        }
        for (String score : List.of("learned_N100_tau0.002", "learned_N100_tau0.01", "learned_N1000_tau0.002",
                "learned_N1000_tau0.01")) {
            expected.put("sampler_shootout_" + score, 18);
        }
        // the nine samplers of diffusers at their defaults, exact and delta = 0.05
        expected.put("sampler_shootout_diffusers_exact", 9);
        expected.put("sampler_shootout_diffusers_delta0.05", 9);
        // exact and first-order laws, and the perfect prediction's band
        expected.put("hurault_figure1_tau", 3);
        expected.put("hurault_figure1_N", 3);
        // per (tau, N): predicted, conditional, empirical, the two bands and the legend entry of their overlap
        for (String panel : List.of("tau0.005_N1000", "tau0.01_N1000", "tau0.02_N1000", "tau0.01_N50",
                "tau0.01_N200")) {
            expected.put("hurault_figure2_" + panel, 6);
        }
        // per configuration: predicted, conditional, empirical, the two bands and their overlap's legend entry
        for (String grid : List.of("uniform", "exponential")) {
            expected.put("hurault_figure3_" + grid + "_tau0.01_N1000", 6);
        }
        // six zeta
        expected.put("hurault_figure4_spectra", 6);
        // one heat map per sigma
        for (String sigma : List.of("0.1", "0.3", "1")) {
            expected.put("hurault_figure5_sigma" + sigma, 1);
        }
        // predicted exact and first order, measured and its band
        expected.put("hurault_validity_tau", 4);
        expected.put("hurault_validity_N", 4);
        return expected;
    }

    @Test
    void everyFigureOfThePaperConfigsIsDrawnWithItsSeries() {
        ReportJob.Report report = small();
        Map<String, Integer> series = report.figures().stream()
                .collect(Collectors.toMap(Figure::name, Figure::seriesCount, (a, b) -> a, TreeMap::new));
        assertEquals(expectedSeries(), series);
        for (Figure f : report.figures()) {
            assertFalse(f.columns().isEmpty(), f.name());
            assertTrue(f.config().startsWith("conf/") && Files.exists(Path.of("..").resolve(f.config())), f.config());
        }
        // every shipped paper experiment is present: nothing reported missing
        assertTrue(report.notes().stream().noneMatch(n -> n.startsWith("No experiment")), report.notes().toString());
    }

    @Test
    void filesAreNonTrivialAndTheIndexShowsThemAll() throws IOException {
        ReportJob.Report report = small();
        Path out = dir.resolve("report");
        ReportJob.write(report, out);
        String index = Files.readString(out.resolve("index.html"));
        for (Figure f : report.figures()) {
            BufferedImage png = ImageIO.read(out.resolve(f.name() + ".png").toFile());
            assertNotNull(png, f.name() + ".png does not decode");
            assertEquals(Charts.WIDTH, png.getWidth());
            assertTrue(distinctColours(png) >= 8, f.name() + ".png looks blank");
            String svg = Files.readString(out.resolve(f.name() + ".svg"));
            assertTrue(svg.contains("<svg") && svg.length() > 5000, f.name() + ".svg");
            assertTrue(index.contains("src=\"" + f.name() + ".png\""), f.name() + " not in index.html");
            assertTrue(index.contains("<code>" + f.config() + "</code>"), f.name() + " caption lacks its config");
        }
        assertTrue(index.contains("<table class=\"ablation\">"));
    }

    @Test
    void theAblationTableShowsUnavailableCellsAsSuch() {
        AblationTable t = small().ablation();
        assertNotNull(t);
        assertEquals(List.of(50, 250), t.budgets());
        // 2 init x 2 eps x (6 schemes + sde + ode)
        assertEquals(32, t.rows().size());
        // heun and rk4 at eps = 0 evaluate the score at t = 0, where CIFAR-10 has none: 2 schemes x 2 inits x 2 NFE
        long unavailable = t.rows().stream().flatMap(List::stream).filter(c -> c.startsWith("n/a")).count();
        assertEquals(8, unavailable);
        assertTrue(t.markdown().contains("| n/a (score_undefined) |"), t.markdown());
        assertTrue(t.html().contains("<td class=\"na\" title=\"n/a (score_undefined)\">n/a</td>"));
        String latex = t.latex();
        assertTrue(latex.contains("\\toprule") && latex.contains("\\midrule") && latex.contains("\\bottomrule"));
        assertEquals(8, latex.split("---\\$\\^\\\\dagger\\$", -1).length - 1, latex);
        // the continuous processes fill only their own column, the schemes only the NFE columns
        for (List<String> row : t.rows()) {
            boolean continuous = row.get(2).contains("continuous");
            assertEquals(continuous, !row.get(row.size() - 1).isEmpty(), row.toString());
            assertEquals(continuous, row.get(3).isEmpty(), row.toString());
        }
    }

    @Test
    void experimentsAbsentOrWithoutAFigureAreListedNotDrawn() throws IOException {
        Path results = dir.resolve("results");
        Path conf = Files.writeString(dir.resolve("q.conf"), "experiment = my_sweep\ngrid { sampler = em, steps = 3,"
                + " d = 4 }\n");
        RunJob.run(SharedSpark.session(), Experiment.load(conf, List.of()), results.toString(), 0);
        ReportJob.Report report = ReportJob.build(SharedSpark.session(), results.toString());
        assertTrue(report.figures().isEmpty());
        assertEquals(null, report.ablation());
        assertEquals(Section.ALL.size() + 1, report.notes().size(), report.notes().toString());
        assertTrue(report.notes().contains("Experiment my_sweep is in the tables but has no figure in this report; "
                + "query it with bin/w2lab query."), report.notes().toString());
        assertTrue(report.notes().stream().anyMatch(n -> n.startsWith("No experiment pierret_figure1 in ")
                && n.contains("bin/w2lab run conf/pierret-figure1.conf")), report.notes().toString());
        ReportJob.write(report, dir.resolve("report"));
        assertTrue(Files.readString(dir.resolve("report/index.html")).contains("Not shown"));
    }

    private static int distinctColours(BufferedImage image) {
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours.size();
    }
}
