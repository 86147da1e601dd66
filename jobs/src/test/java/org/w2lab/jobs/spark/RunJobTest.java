package org.w2lab.jobs.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w2lab.jobs.compute.TheoryRunner;
import org.w2lab.jobs.config.Experiment;
import org.w2lab.jobs.config.TaskSpec;
import org.w2lab.spectrum.Spectrum;
import org.w2lab.stats.SeedStatistics;
import org.w2lab.theory.Init;
import org.w2lab.theory.LearnedScorePrediction;
import org.w2lab.theory.TheoryResult;

class RunJobTest {
    private static final String GRID = "params { d = 40, zeta = 1.5, record_every = 5 }\n"
            + "grid = [ { sampler = [em, ei, ddpm, euler, heun, rk4], nfe = [20, 40], eps = [0, 1e-3],"
            + " init = [p_T, normal] }\n { sampler = [sde, ode], eps = [0, 1e-3], continuous_points = 10 } ]\n";

    private static final String SIMULATED = "params { d = 6, zeta = 1.0, particles = 300, seeds = 3, record_every = 4 }\n"
            + "grid = [ { sampler = [em, heun], steps = 8, basis = [identity, random] }\n { sampler = ode } ]\n";

    @TempDir
    Path dir;

    private final SparkSession spark = SharedSpark.session();

    private Experiment experiment(String name, String grid) throws IOException {
        Path conf = Files.writeString(dir.resolve(name + ".conf"), "experiment = " + name + "\n" + grid);
        return Experiment.load(conf, List.of());
    }

    private Dataset<Row> table(Path out, String name) {
        return spark.read().parquet(out.resolve(name).toString());
    }

    private static List<String> sortedRows(Dataset<Row> rows) {
        return rows.collectAsList().stream().map(Row::toString).sorted().collect(Collectors.toList());
    }

    @Test
    void tablesHaveThePublicColumns() throws IOException {
        Path out = dir.resolve("out");
        RunJob.run(spark, experiment("cols", "grid { sampler = em, steps = 3, d = 4 }\n"), out.toString(), 0);
        List<String> summary = Arrays.asList(table(out, Tables.SUMMARY).columns());
        assertTrue(summary.containsAll(List.of("experiment", "config_id", "sampler", "steps", "nfe", "eps", "init",
                "d", "spectrum", "w2_theory", "status", "zeta", "beta_min", "beta_max", "T", "record_every",
                "continuous_points")), summary.toString());
        assertEquals(List.of("config_id", "seed", "step", "t", "w2_theory", "w2_empirical", "experiment"),
                Arrays.asList(table(out, Tables.TRAJECTORIES).columns()));
    }

    @Test
    void simulatedTablesHaveThePublicColumns() throws IOException {
        Path out = dir.resolve("out");
        RunJob.run(spark, experiment("simcols", SIMULATED), out.toString(), 0);
        List<String> summary = Arrays.asList(table(out, Tables.SUMMARY).columns());
        assertTrue(summary.containsAll(List.of("particles", "seeds", "basis", "w2_empirical_mean", "w2_empirical_sd",
                "w2_empirical_ci95", "n_seeds", "n_ok", "n_diverged")), summary.toString());
        List<String> runs = Arrays.asList(table(out, Tables.RUNS).columns());
        assertTrue(runs.containsAll(List.of("experiment", "config_id", "seed", "w2_empirical", "w2_sliced",
                "w2_theory_conditional", "n_particles", "elapsed_ms", "status")), runs.toString());
    }

    /** Every column but the measured elapsed_ms. */
    private static List<String> deterministicRuns(Dataset<Row> runs) {
        return sortedRows(runs.drop("elapsed_ms"));
    }

    @Test
    void simulatedRowsAreBitwiseTheSameWithOneAndFourPartitions() throws IOException {
        Experiment e = experiment("simdet", SIMULATED);
        RunJob.run(spark, e, dir.resolve("one").toString(), 1);
        RunJob.run(spark, e, dir.resolve("four").toString(), 4);
        List<String> one = deterministicRuns(table(dir.resolve("one"), Tables.RUNS));
        assertEquals(4 * 3, one.size());
        assertEquals(one, deterministicRuns(table(dir.resolve("four"), Tables.RUNS)));
        for (String t : List.of(Tables.SUMMARY, Tables.TRAJECTORIES)) {
            assertEquals(sortedRows(table(dir.resolve("one"), t)), sortedRows(table(dir.resolve("four"), t)), t);
        }
    }

    @Test
    void aSeedsResultDoesNotDependOnHowManySeedsRun() throws IOException {
        RunJob.run(spark, experiment("few", SIMULATED.replace("seeds = 3", "seeds = 2")),
                dir.resolve("few").toString(), 0);
        RunJob.run(spark, experiment("few", SIMULATED), dir.resolve("more").toString(), 0);
        List<String> few = deterministicRuns(table(dir.resolve("few"), Tables.RUNS));
        List<String> more = deterministicRuns(table(dir.resolve("more"), Tables.RUNS).where("seed < 2"));
        assertEquals(few, more);
    }

    @Test
    void summaryIsTheStatisticsOfItsSeeds() throws IOException {
        Path out = dir.resolve("out");
        Experiment e = experiment("stats", SIMULATED);
        RunJob.Report report = RunJob.run(spark, e, out.toString(), 0);
        assertEquals(12, report.runs());
        assertEquals(Map.of("ok", 12L), report.runStatuses());
        Map<String, List<Row>> runs = table(out, Tables.RUNS).collectAsList().stream()
                .collect(Collectors.groupingBy(r -> r.getAs("config_id")));
        for (Row s : table(out, Tables.SUMMARY).collectAsList()) {
            List<Row> seeds = runs.getOrDefault(s.<String>getAs("config_id"), List.of());
            if ("ode".equals(s.getAs("sampler"))) {
                // a continuous process is a law, not an algorithm: nothing simulated
                assertEquals(0, seeds.size());
                assertEquals(0, (int) s.getAs("n_seeds"));
                assertNull(s.getAs("w2_empirical_mean"));
                continue;
            }
            double[] values = seeds.stream().sorted(java.util.Comparator.comparingInt(r -> r.<Integer>getAs("seed")))
                    .mapToDouble(r -> r.<Double>getAs("w2_empirical")).toArray();
            SeedStatistics expected = SeedStatistics.of(values);
            double[] squares = seeds.stream().sorted(java.util.Comparator.comparingInt(r -> r.<Integer>getAs("seed")))
                    .mapToDouble(r -> r.<Double>getAs("w2sq_empirical")).toArray();
            SeedStatistics sq = SeedStatistics.of(squares);
            boolean below = Arrays.stream(squares).anyMatch(v -> v <= 0) || sq.mean() - sq.ci95() <= 0;
            assertEquals(3, (int) s.getAs("n_seeds"));
            assertEquals(3, (int) s.getAs("n_ok"));
            assertEquals(expected.mean(), s.<Double>getAs("w2_empirical_mean"), 0);
            assertEquals(sq.mean(), s.<Double>getAs("w2sq_empirical_mean"), 0);
            assertEquals(sq.ci95(), s.<Double>getAs("w2sq_empirical_ci95"), 0);
            assertEquals(below, s.getAs("below_resolution"));
            if (below) {
                assertNull(s.getAs("w2_empirical_ci95"));
                assertNull(s.getAs("w2_empirical_lo95"));
            } else {
                assertEquals(expected.ci95(), s.<Double>getAs("w2_empirical_ci95"), 0);
                assertEquals(Math.sqrt(Math.max(sq.mean() - sq.ci95(), 0)), s.<Double>getAs("w2_empirical_lo95"), 0);
                assertEquals(Math.sqrt(sq.mean() + sq.ci95()), s.<Double>getAs("w2_empirical_hi95"), 0);
            }
            for (Row r : seeds) {
                // the exact score: each seed samples the configuration's law
                assertEquals(s.<Double>getAs("w2_theory"), r.<Double>getAs("w2_theory_conditional"), 0);
            }
        }
        // trajectories: steps 0, 4, 8 for the theory and for each seed of the 4 simulated configurations
        assertEquals(3 * 3 * 4, table(out, Tables.TRAJECTORIES).where("seed IS NOT NULL").count());
        assertEquals(0, table(out, Tables.TRAJECTORIES).where("seed IS NOT NULL AND (w2_empirical IS NULL OR "
                + "w2_theory IS NULL)").count());
    }

    @Test
    void divergedSeedsAreCountedNotAveraged() throws IOException {
        Path out = dir.resolve("out");
        RunJob.run(spark, experiment("div", "params { d = 4, particles = 20, seeds = 2, beta_min = 1e4, "
                + "beta_max = 1e4, record_every = 0 }\ngrid { sampler = em, steps = 200 }\n"), out.toString(), 0);
        Row s = table(out, Tables.SUMMARY).first();
        assertEquals("diverged", s.getAs("status"));
        assertEquals(2, (int) s.getAs("n_seeds"));
        assertEquals(0, (int) s.getAs("n_ok"));
        assertEquals(2, (int) s.getAs("n_diverged"));
        assertNull(s.getAs("w2_empirical_mean"));
        assertEquals(2, table(out, Tables.RUNS).where("status = 'diverged' AND w2_empirical IS NULL").count());
    }

    /** A run that replaces its experiment's rows of other configurations ({@code --replace}). */
    private void replacing(Experiment e, Path out) {
        StoreFixtures.run(spark, e, out.toString(), true);
    }

    @Test
    void aRerunWithoutSimulationRemovesTheOldRuns() throws IOException {
        Path out = dir.resolve("out");
        RunJob.run(spark, experiment("x", SIMULATED), out.toString(), 0);
        RunJob.run(spark, experiment("other", SIMULATED), out.toString(), 0);
        replacing(experiment("x", "grid { sampler = em, steps = 3, d = 4, record_every = 0 }\n"), out);
        assertEquals(0, table(out, Tables.RUNS).where("experiment = 'x'").count());
        assertEquals(0, table(out, Tables.TRAJECTORIES).where("experiment = 'x'").count());
        assertEquals(12, table(out, Tables.RUNS).where("experiment = 'other'").count());
    }

    @Test
    void rowsAreTheTheoryOfEachConfiguration() throws IOException {
        Experiment e = experiment("values", GRID);
        Path out = dir.resolve("out");
        RunJob.Report report = RunJob.run(spark, e, out.toString(), 0);
        assertEquals(e.tasks().size(), report.configurations());
        // heun and rk4 at eps = 0 evaluate the score at t = 0; the power law has no zero eigenvalue, so all are ok
        assertEquals(Map.of("ok", (long) e.tasks().size()), report.statuses());
        Map<String, Double> written = table(out, Tables.SUMMARY).collectAsList().stream()
                .collect(Collectors.toMap(r -> r.getAs("config_id"), r -> r.<Double>getAs("w2_theory")));
        for (TaskSpec t : e.tasks()) {
            double direct = TheoryRunner.run(t, Spectrum.powerLaw(40, 1.5)).result().w2ToData();
            assertEquals(direct, written.get(t.configId()), 0.0, t.canonical());
        }
    }

    @Test
    void rowsAreBitwiseTheSameHoweverPartitioned() throws IOException {
        Experiment e = experiment("det", GRID);
        RunJob.run(spark, e, dir.resolve("one").toString(), 1);
        RunJob.run(spark, e, dir.resolve("many").toString(), 7);
        for (String t : List.of(Tables.SUMMARY, Tables.TRAJECTORIES)) {
            List<String> one = sortedRows(table(dir.resolve("one"), t));
            assertTrue(one.size() > 0);
            assertEquals(one, sortedRows(table(dir.resolve("many"), t)), t);
        }
    }

    @Test
    void rerunsReplaceTheirExperimentAndKeepOthers() throws IOException {
        Path out = dir.resolve("out");
        Experiment a = experiment("a", GRID);
        RunJob.run(spark, a, out.toString(), 0);
        RunJob.run(spark, a, out.toString(), 3);
        assertEquals(a.tasks().size(), table(out, Tables.SUMMARY).count());
        assertEquals(a.tasks().size(), table(out, Tables.SUMMARY).select("config_id").distinct().count());
        long trajectories = table(out, Tables.TRAJECTORIES).count();
        assertEquals(trajectories, table(out, Tables.TRAJECTORIES).select("config_id", "step").distinct().count());

        Experiment b = experiment("b", "grid { sampler = ode, d = 3 }\n");
        RunJob.run(spark, b, out.toString(), 0);
        assertEquals(a.tasks().size() + 1, table(out, Tables.SUMMARY).count());

        Experiment smaller = experiment("a", "params { d = 40, zeta = 1.5 }\ngrid { sampler = em, nfe = 20 }\n");
        replacing(smaller, out);
        Dataset<Row> summary = table(out, Tables.SUMMARY);
        assertEquals(1, summary.where("experiment = 'a'").count());
        assertEquals(1, summary.where("experiment = 'b'").count());
    }

    @Test
    void aBrokenDownSchemeHasAStatusAndNoFinalNumber() throws IOException {
        Files.writeString(dir.resolve("singular.txt"), "1\n0.5\n0\n");
        Path out = dir.resolve("out");
        RunJob.run(spark, experiment("sing", "grid { sampler = [heun, euler], steps = 8, spectrum = singular.txt }\n"),
                out.toString(), 0);
        Map<String, Row> bySampler = table(out, Tables.SUMMARY).collectAsList().stream()
                .collect(Collectors.toMap(r -> r.getAs("sampler"), r -> r));
        assertEquals("score_undefined", bySampler.get("heun").getAs("status"));
        assertNull(bySampler.get("heun").getAs("w2_theory"));
        assertEquals("ok", bySampler.get("euler").getAs("status"));
        // the trajectory of the broken-down run stops before its last step, whose score does not exist
        String heunId = bySampler.get("heun").getAs("config_id");
        assertEquals(8, table(out, Tables.TRAJECTORIES).where("config_id = '" + heunId + "'").count());
        assertEquals(8 + 9, table(out, Tables.TRAJECTORIES).count());
    }

    private static final String ULA = "params { sampler = ula, d = 4, zeta = 1.0, sigma = 0.5, gamma = 0.05, "
            + "n_train = 50, sgd_steps = 3000, steps = 100, particles = 200, seeds = 3, kernel_points = 3 }\n"
            + "grid { tau = [0.01, 0.6] }\n";

    /**
     * Runs the experiment with one and with three partitions and checks that the runs (but their elapsed times) and
     * the given tables have the same rows; returns the one-partition results folder.
     */
    private Path samePartitionedOneAndThree(Experiment e, String... tables) {
        RunJob.run(spark, e, dir.resolve("one").toString(), 1);
        RunJob.run(spark, e, dir.resolve("three").toString(), 3);
        assertEquals(deterministicRuns(table(dir.resolve("one"), Tables.RUNS)),
                deterministicRuns(table(dir.resolve("three"), Tables.RUNS)));
        for (String t : tables) {
            assertEquals(sortedRows(table(dir.resolve("one"), t)), sortedRows(table(dir.resolve("three"), t)), t);
        }
        return dir.resolve("one");
    }

    @Test
    void ulaRowsAreBitwiseTheSameHoweverPartitionedWithTheirSourcesAndKernels() throws IOException {
        samePartitionedOneAndThree(experiment("ula", ULA), Tables.SUMMARY, Tables.SPECTRA, Tables.KERNELS);
        Dataset<Row> summary = table(dir.resolve("one"), Tables.SUMMARY).orderBy("tau");
        List<Row> rows = summary.collectAsList();
        Row stable = rows.get(0);
        // the sources add up in order, and the stable row has every column
        double noise = stable.getAs("w2_noise_theory");
        double discretization = stable.getAs("w2_plus_discretization_theory");
        double optimization = stable.getAs("w2_plus_optimization_predicted");
        double all = stable.getAs("w2_plus_generalization_predicted");
        assertTrue(noise < discretization && discretization < optimization && optimization < all);
        // w2_theory is the prediction by sampling where it settles (docs/theory.md 10.11), else the expansion's
        Double sampled = stable.getAs("w2sq_predicted_sampled");
        assertEquals(sampled == null ? all : Math.sqrt(sampled), (double) stable.getAs("w2_theory"));
        assertTrue(sampled == null || stable.getAs("w2sq_predicted_sampled_ci95") != null);
        for (String c : List.of("w2_noise_empirical_mean", "w2_plus_discretization_empirical_mean",
                "w2_plus_optimization_empirical_mean", "w2_empirical_mean", "w2_conditional_stationary_mean",
                "w2sq_conditional_stationary_ci95", "w2_empirical_median", "divergence_fraction",
                "divergence_predicted")) {
            assertTrue(stable.getAs(c) != null, c);
        }
        // tau = 0.6 is below the mean bound (1.6) but past the variance bound: run, and marked
        Row unbounded = rows.get(1);
        assertEquals("sgd_variance_unbounded", unbounded.getAs("status"));
        assertNull(unbounded.getAs("w2_theory"));
        assertTrue((double) unbounded.getAs("tau_variance_bound") < 0.6);
        assertEquals(4, table(dir.resolve("one"), Tables.SPECTRA).count());
        assertEquals(2 * 9, table(dir.resolve("one"), Tables.KERNELS).count());
    }

    private static final String LEARNED = "params { d = 4, zeta = 1.0, score = learned, n_train = 40, tau = 0.05, "
            + "sgd_steps = 400, steps = 6, eps = 1e-3, record_every = 2, seeds = 3 }\n"
            + "grid = [ { sampler = ddpm, grid = exponential, ratio = 0.8, particles = 200, basis = [identity, random] }"
            + "\n { sampler = heun, particles = 0 }\n { sampler = ei, particles = 0, seeds = 0 } ]\n";

    /**
     * A learned score: the seeds' rows are the same however partitioned; each seed's conditional W2 is its final
     * trajectory row, the summary's conditional statistics are those of the runs, the summary's theory and the
     * trajectory's theory rows are the prediction of docs/theory.md 15.3 for the configuration, a configuration
     * without particles has its seeds' conditional trajectories alone, and one without seeds the prediction alone.
     */
    @Test
    void learnedScoreRowsAreBitwiseTheSameHoweverPartitionedAndSummarizeTheirSeeds() throws IOException {
        Experiment experiment = experiment("learned", LEARNED);
        Path one = samePartitionedOneAndThree(experiment, Tables.SUMMARY, Tables.TRAJECTORIES);
        Dataset<Row> all = table(one, Tables.SUMMARY);
        assertEquals(4, all.count());
        assertEquals(0, all.where("status <> 'ok' OR w2_theory IS NULL OR tau <> 0.05 OR n_train <> 40 "
                + "OR sgd_steps <> 400 OR batch <> 1").count());
        for (TaskSpec t : experiment.tasks()) {
            TheoryResult predicted = new LearnedScorePrediction(Spectrum.powerLaw(4, 1.0), t.forwardProcess(),
                    t.diffusion().training(), 40).discrete(t.scheme(), t.timeGrid(), Init.byId(t.init()), 2);
            Row s = all.where("config_id = '" + t.configId() + "'").first();
            assertEquals(predicted.w2ToData(), (double) s.getAs("w2_theory"), 0.0);
            List<Row> theory = table(one, Tables.TRAJECTORIES).where("config_id = '" + t.configId()
                    + "' AND seed IS NULL").orderBy("step").collectAsList();
            assertEquals(predicted.steps().length, theory.size());
            for (int k = 0; k < theory.size(); k++) {
                assertEquals(predicted.w2ToMarginal()[k], (double) theory.get(k).getAs("w2_theory"), 0.0);
            }
        }
        Row alone = all.where("sampler = 'ei'").first();
        assertEquals(0, (int) alone.getAs("n_seeds"));
        assertNull(alone.getAs("w2_conditional_mean"));
        Dataset<Row> summary = all.where("sampler <> 'ei'");
        assertEquals(0, summary.where("n_ok <> 3 OR w2_conditional_ci95 IS NULL").count());
        for (Row s : summary.collectAsList()) {
            String id = s.getAs("config_id");
            List<Row> runs = table(one, Tables.RUNS).where("config_id = '" + id + "'").orderBy("seed")
                    .collectAsList();
            double[] conditional = runs.stream().mapToDouble(r -> r.<Double>getAs("w2_theory_conditional"))
                    .toArray();
            SeedStatistics stats = SeedStatistics.of(conditional);
            assertEquals(stats.mean(), (double) s.getAs("w2_conditional_mean"), 0.0);
            assertEquals(stats.ci95(), (double) s.getAs("w2_conditional_ci95"), 0.0);
            assertTrue(stats.sd() > 0, "every seed learns its own score");
            List<Row> last = table(one, Tables.TRAJECTORIES).where("config_id = '" + id + "' AND step = 6 "
                    + "AND seed IS NOT NULL").orderBy("seed").collectAsList();
            boolean particles = s.getAs("particles") != null;
            for (int k = 0; k < 3; k++) {
                // the last recorded step is at eps: its W2 to p_eps, beside the final W2 to p_data
                assertTrue(last.get(k).getAs("w2_theory") != null);
                assertEquals(particles, last.get(k).getAs("w2_empirical") != null);
                assertEquals(particles, runs.get(k).getAs("w2_empirical") != null);
            }
            assertEquals(particles, s.getAs("w2_empirical_mean") != null);
        }
    }

    private static final String SGD = "params { sampler = sgd, d = 3, zeta = 1.0, sigma = 0.5, n_train = 200, "
            + "sgd_steps = 2000, seeds = 24, basis = random }\n"
            + "grid { tau = [0.02, 0.6] }\n";

    @Test
    void sgdRowsAreBitwiseTheSameHoweverPartitionedAndTheSummaryIsTheFitOfTheRunsIterates() throws IOException {
        samePartitionedOneAndThree(experiment("sgd", SGD), Tables.SUMMARY);
        List<Row> rows = table(dir.resolve("one"), Tables.SUMMARY).orderBy("tau").collectAsList();
        Row stable = rows.get(0);
        assertEquals("ok", stable.getAs("status"));
        assertEquals(24, (int) stable.getAs("n_ok"));
        // recomputed from the runs table: the iterates in seed order, against the law built here
        List<double[]> thetas = table(dir.resolve("one"), Tables.RUNS)
                .where("config_id = '" + stable.getAs("config_id") + "'").orderBy("seed").collectAsList().stream()
                .map(r -> r.<scala.collection.Seq<Double>>getAs("sgd_theta"))
                .map(seq -> scala.jdk.javaapi.CollectionConverters.asJava(seq).stream().mapToDouble(x -> x).toArray())
                .toList();
        assertEquals(24, thetas.size());
        assertEquals(12, thetas.get(0).length);
        double[] lambda = Spectrum.powerLaw(3, 1.0).lambda();
        org.w2lab.score.SgdStationaryLaw law = new org.w2lab.score.SgdStationaryLaw(lambda, 0.5, 0.02, 1, 200,
                org.w2lab.score.SgdStationaryLaw.Order.EXACT);
        org.w2lab.score.IterateFit fit = org.w2lab.score.IterateFit.of(thetas);
        assertEquals(fit.w2To(law), (double) stable.getAs("w2_sgd_law_exact"));
        assertEquals(fit.totalVariance(), (double) stable.getAs("sgd_total_variance_empirical"));
        assertEquals(law.totalVariance(), (double) stable.getAs("sgd_total_variance_exact"));
        double median = stable.getAs("w2_sgd_law_perfect_median");
        assertTrue(median > 0 && median < (double) stable.getAs("w2_sgd_law_perfect_q95"));
        assertTrue((double) stable.getAs("w2_sgd_law_first_order") > 0);
        assertNull(stable.getAs("w2_theory"));
        assertNull(stable.getAs("divergence_fraction"));
        // past the variance bound: run and marked, no exact law to compare with
        Row unbounded = rows.get(1);
        assertEquals("sgd_variance_unbounded", unbounded.getAs("status"));
        assertNull(unbounded.getAs("w2_sgd_law_exact"));
        assertNull(unbounded.getAs("w2_sgd_law_perfect_median"));
        assertTrue((double) unbounded.getAs("tau_variance_bound") < 0.6);
    }

    /**
     * A data mean (docs/theory.md, 10.10) in a random basis: ula and sgd rows bitwise the same however partitioned;
     * the sgd summary is the fit of the runs' iterates against the law with the mean in the eigenbasis.
     */
    @Test
    void withADataMeanRowsAreBitwiseTheSameHoweverPartitionedAndTheLawHasTheMean() throws IOException {
        Experiment e = experiment("mean", "params { d = 3, zeta = 1.0, sigma = 0.5, n_train = 200, sgd_steps = 6000, "
                + "seeds = 12, basis = random, mu = 1.5, tau = 0.02 }\n"
                + "grid = [\n  { sampler = sgd }\n  { sampler = ula, gamma = 0.05, steps = 100, particles = 200 }\n]\n");
        samePartitionedOneAndThree(e, Tables.SUMMARY);
        TaskSpec sgd = e.tasks().stream().filter(TaskSpec::sgdOnly).findFirst().orElseThrow();
        Row row = table(dir.resolve("one"), Tables.SUMMARY).where("sampler = 'sgd'").first();
        assertEquals(1.5, (double) row.getAs("mu"));
        List<double[]> thetas = table(dir.resolve("one"), Tables.RUNS)
                .where("config_id = '" + sgd.configId() + "'").orderBy("seed").collectAsList().stream()
                .map(r -> r.<scala.collection.Seq<Double>>getAs("sgd_theta"))
                .map(seq -> scala.jdk.javaapi.CollectionConverters.asJava(seq).stream().mapToDouble(x -> x).toArray())
                .toList();
        org.w2lab.score.SgdStationaryLaw law = new org.w2lab.score.SgdStationaryLaw(Spectrum.powerLaw(3, 1.0)
                .lambda(), sgd.dataMeanInEigenbasis(), 0.5, 0.02, 1, 200, org.w2lab.score.SgdStationaryLaw.Order.EXACT);
        assertEquals(org.w2lab.score.IterateFit.of(thetas).w2To(law), (double) row.getAs("w2_sgd_law_exact"));
        Row ula = table(dir.resolve("one"), Tables.SUMMARY).where("sampler = 'ula'").first();
        assertEquals("ok", ula.getAs("status"));
        assertTrue(ula.getAs("w2_conditional_stationary_mean") != null && ula.getAs("w2_empirical_mean") != null);
    }

    private static final String TEN = "[em, ei, ddpm, euler, heun, rk4, dpm_solver_1, dpm_solver_2, dpm_solver_3, "
            + "edm_heun]";
    private static final String CHURN = "sampler = edm_stochastic, s_churn = 10, s_tmin = 0.05, s_tmax = 50";
    private static final String PERTURBED = "score = perturbed, delta = 0.05";

    /**
     * A small sampler shootout: every sampler on every grid at two budgets, with the exact and a perturbed score,
     * some perturbed configurations simulated in both bases, and a few on VE.
     */
    private static final String SHOOTOUT = "params { d = 8, zeta = 1.0, eps = 1e-3, init = normal, record_every = 3 }\n"
            + "grid = [ { sampler = " + TEN + ", grid = [uniform, edm], nfe = [10, 20] }\n"
            + " { sampler = " + TEN + ", grid = [uniform, edm], nfe = [10, 20], " + PERTURBED + " }\n"
            + " { " + CHURN + ", grid = [uniform, edm], nfe = [10, 20] }\n"
            + " { " + CHURN + ", grid = [uniform, edm], nfe = [10, 20], " + PERTURBED + " }\n"
            + " { sampler = " + TEN + ", grid = exponential, zip { nfe = [10, 20], ratio = [0.5, 0.7] } }\n"
            + " { sampler = " + TEN + ", grid = exponential, zip { nfe = [10, 20], ratio = [0.5, 0.7] }, " + PERTURBED
            + " }\n"
            + " { sampler = [em, dpm_solver_2], grid = edm, nfe = 10, " + PERTURBED + ", particles = 200, seeds = 2, "
            + "basis = [identity, random] }\n"
            + " { " + CHURN + ", grid = edm, nfe = 10, " + PERTURBED + ", particles = 200, seeds = 2, "
            + "basis = [identity, random] }\n"
            + " { sampler = [em, heun, dpm_solver_3, edm_heun], process = ve, grid = [uniform, edm], nfe = 10 }\n"
            + " { sampler = [em, edm_heun], process = ve, grid = edm, nfe = 10, " + PERTURBED + " }\n"
            // the samplers that carry values between steps and add noise, on particles, a schedule and the flow
            + " { sampler = [dpmpp_2m_sde, dpmpp_3m_sde, unipc, lms], grid = edm, nfe = 10, schedule = cosine, "
            + PERTURBED + ", particles = 200, seeds = 2, basis = [identity, random] }\n"
            + " { sampler = [euler_ancestral, dpmpp_2m], process = flow, T = 0.999, grid = edm, nfe = 10,"
            + " particles = 200, seeds = 2 } ]\n";

    @Test
    void shootoutRowsAreBitwiseTheSameWithOneAndThreePartitions() throws IOException {
        Experiment e = experiment("shoot", SHOOTOUT);
        assertEquals(40 + 40 + 4 + 4 + 20 + 20 + 6 + 8 + 2 + 8 + 2, e.tasks().size());
        RunJob.run(spark, e, dir.resolve("one").toString(), 1);
        RunJob.run(spark, e, dir.resolve("three").toString(), 3);
        for (String t : List.of(Tables.SUMMARY, Tables.TRAJECTORIES)) {
            List<String> one = sortedRows(table(dir.resolve("one"), t));
            assertTrue(one.size() >= e.tasks().size(), t);
            assertEquals(one, sortedRows(table(dir.resolve("three"), t)), t);
        }
        List<String> runs = deterministicRuns(table(dir.resolve("one"), Tables.RUNS));
        assertEquals((6 + 8 + 2) * 2, runs.size());
        assertEquals(runs, deterministicRuns(table(dir.resolve("three"), Tables.RUNS)));
        Dataset<Row> summary = table(dir.resolve("one"), Tables.SUMMARY);
        // the budget is never exceeded, and the new columns are filled
        assertEquals(0, summary.where("nfe > 20 OR grid IS NULL OR process IS NULL OR score IS NULL").count());
        assertEquals(40 + 4 + 20 + 6 + 2 + 8, summary.where("score = 'perturbed' AND delta = 0.05").count());
        assertEquals(8, summary.where("schedule = 'cosine' AND beta_min IS NULL").count());
        assertEquals(2, summary.where("process = 'flow' AND schedule IS NULL AND sigma_min IS NULL").count());
        assertEquals(10, summary.where("process = 've' AND sigma_min = 0.01 AND sigma_max = 50 AND beta_min IS NULL")
                .count());
    }

    /**
     * A perturbed score's particles (its G does not commute with the data covariance) against the exact law of
     * the full-matrix engine: each configuration's theory must lie in its seeds' Student interval at the
     * family-wise level 99% (Bonferroni), the intervals must be narrow, and the perturbation must move the theory
     * away from the exact-score value by many half widths, so that the check could tell them apart.
     */
    @Test
    void perturbedParticlesAgreeWithTheirFullMatrixTheory() throws IOException {
        int seeds = 10;
        String samplers = "[em, heun, dpm_solver_2, edm_heun]";
        Experiment e = experiment("pert", "params { d = 6, zeta = 1.0, eps = 1e-2, init = normal, record_every = 0,"
                + " grid = edm, steps = 12 }\n"
                + "grid = [ { sampler = " + samplers + ", score = perturbed, delta = 0.2, particles = 8192, seeds = "
                + seeds + ", basis = [identity, random] }\n { sampler = " + samplers + " } ]\n");
        Path out = dir.resolve("out");
        RunJob.run(spark, e, out.toString(), 0);
        List<Row> rows = table(out, Tables.SUMMARY).collectAsList();
        Map<String, Double> exact = rows.stream().filter(r -> "exact".equals(r.getAs("score")))
                .collect(Collectors.toMap(r -> r.getAs("sampler"), r -> r.<Double>getAs("w2_theory")));
        List<Row> perturbed = rows.stream().filter(r -> "perturbed".equals(r.getAs("score"))).toList();
        assertEquals(8, perturbed.size());
        double family = 0.01;
        for (Row r : perturbed) {
            String what = r.getAs("sampler") + " " + r.getAs("basis");
            assertEquals(seeds, (int) r.getAs("n_ok"), what);
            double theory = r.getAs("w2_theory");
            double mean = r.getAs("w2_empirical_mean");
            double sd = r.getAs("w2_empirical_sd");
            SeedStatistics stats = new SeedStatistics(seeds, mean, sd, r.getAs("w2_empirical_ci95"));
            double half = stats.halfWidth(1 - family / perturbed.size());
            assertTrue(stats.ci95() < 0.05 * theory, what + ": interval +-" + stats.ci95() + " around " + mean);
            assertEquals(theory, mean, half, what + " (exact-score theory " + exact.get(r.<String>getAs("sampler"))
                    + ")");
            assertTrue(Math.abs(theory - exact.get(r.<String>getAs("sampler"))) > 10 * half, what + ": theory "
                    + theory + " against the exact score's " + exact.get(r.<String>getAs("sampler")));
        }
    }
}
