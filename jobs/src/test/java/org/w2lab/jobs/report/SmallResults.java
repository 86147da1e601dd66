package org.w2lab.jobs.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.w2lab.jobs.config.Experiment;
import org.w2lab.jobs.spark.RunJob;
import org.w2lab.jobs.spark.SharedSpark;

/**
 * One results folder for the report and notebook tests, written once per test JVM by the shipped configs with
 * {@code --set} overrides that keep each run to seconds: the same experiments, tables and columns, smaller grids,
 * dimensions, particle counts and seeds.
 */
final class SmallResults {
    private static Path folder;

    /** The configs and their overrides. */
    static final List<List<String>> RUNS = List.of(
            List.of("quickstart.conf", "d=20"),
            // a power law instead of CIFAR-10, the same schemes and eps sweep
            List.of("pierret-figure1.conf", "spectrum=power_law", "d=20", "nfe=40", "continuous_points=40"),
            // CIFAR-10 kept (its zero eigenvalues make the unavailable cells), fewer budgets and truncations
            List.of("pierret-table.conf", "nfe=[50, 250]", "eps=[0, 1e-3]"),
            List.of("sampler-shootout.conf", "d=8"),
            // enough particles and seeds that the rows are above the estimator's resolution, so intervals are drawn
            List.of("verify-samplers.conf", "d=6", "steps=2", "particles=4000", "seeds=4"),
            List.of("hurault-figure1.conf", "d=2", "seeds=40", "sgd_steps=12000"),
            List.of("hurault-figure2.conf", "d=4", "particles=2000", "seeds=4", "steps=200", "sgd_steps=3000",
                    "sigma={logspace = [0.3, 1.0, 3]}"),
            List.of("hurault-figure3.conf", "d=3", "steps=8", "particles=200", "seeds=2", "sgd_steps=1500"),
            List.of("hurault-figure4.conf", "d=20"),
            List.of("hurault-figure5.conf", "d=4", "kernel_points=9"),
            List.of("hurault-validity.conf", "d=4", "particles=200", "seeds=2", "steps=200", "sgd_steps=5000"));

    private SmallResults() {
    }

    static synchronized Path folder() {
        if (folder == null) {
            try {
                Path dir = Files.createTempDirectory("w2lab-small-results");
                for (List<String> run : RUNS) {
                    Experiment e = Experiment.load(Path.of("..", "conf", run.get(0)), run.subList(1, run.size()));
                    RunJob.run(SharedSpark.session(), e, dir.toString(), 0);
                }
                Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
                folder = dir;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return folder;
    }

    static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is harmless
        }
    }
}
