package org.w2lab.jobs.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;
import org.w2lab.jobs.config.Experiment;
import org.w2lab.jobs.config.LangevinSpec;
import org.w2lab.jobs.config.TaskSpec;
import org.w2lab.jobs.spark.RunJob;

/**
 * A whole {@code ula} experiment timed end to end on a Spark session (grid, theory, every seed, the tables written),
 * beside the configurations in the form the NumPy peer {@code bin/bench_pipeline_numpy.py --configs} reads, so the
 * same seeds run in both.
 */
public final class ConfigBenchmark {
    private ConfigBenchmark() {
    }

    /**
     * The simulated {@code ula} configurations as a JSON list for the peer.
     *
     * @throws IllegalArgumentException if the experiment has none (the peer only knows this pipeline)
     */
    public static String peerConfigs(Experiment e) {
        List<String> items = new ArrayList<>();
        for (TaskSpec t : e.tasks()) {
            LangevinSpec l = t.langevin();
            if (l == null || t.sgdOnly() || !t.simulated() || t.zeta() == null) {
                continue;
            }
            items.add(String.format(Locale.ROOT, "{\"d\": %d, \"zeta\": %s, \"sigma\": %s, \"tau\": %s, \"n_train\": %d, "
                    + "\"sgd_steps\": %d, \"gamma\": %s, \"langevin_steps\": %d, \"particles\": %d, \"seeds\": %d}",
                    t.d(), t.zeta(), l.sigma(), l.tau(), l.nTrain(), l.sgdSteps(), l.gamma(), t.steps(), t.particles(),
                    t.seeds()));
        }
        if (items.isEmpty()) {
            throw new IllegalArgumentException(e.file() + ": no simulated ula configuration on a power-law spectrum: "
                    + "the NumPy peer runs only that pipeline");
        }
        return "[\n" + String.join(",\n", items) + "\n]\n";
    }

    /** The seeds of the experiment the peer runs too. */
    public static int seeds(Experiment e) {
        return e.tasks().stream().filter(t -> t.langevin() != null && !t.sgdOnly() && t.simulated())
                .mapToInt(TaskSpec::seeds).sum();
    }

    /** Runs the experiment into a fresh temporary folder; returns the wall time in milliseconds. */
    public static double runMs(SparkSession spark, Experiment e) throws IOException {
        Path out = Files.createTempDirectory("w2lab-bench-");
        try {
            long start = System.nanoTime();
            RunJob.run(spark, e, out.toString(), 0);
            return (System.nanoTime() - start) / 1e6;
        } finally {
            try (var files = Files.walk(out)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
